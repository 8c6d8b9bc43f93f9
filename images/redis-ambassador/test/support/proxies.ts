/**
 * Reference proxies run the same way as the ambassador, for the seed test and the benchmark: HAProxy
 * (Debian `haproxy`, foreground) and twemproxy (Debian `nutcracker`). Each is stopped by PID.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canConnect, freePort, waitFor } from '@podbay/test-support';

/**
 * `spawn`, confined to the CPUs in `cpus` (a taskset list such as "1") when given. taskset execs the
 * program, so the child's pid is the program's, and the affinity holds from its first instruction:
 * HAProxy and Node size their thread pools from the CPUs they may use at start.
 */
export function spawnOn(
  cpus: string | undefined,
  command: string,
  args: string[],
  options: SpawnOptions,
): ChildProcess {
  return cpus === undefined
    ? spawn(command, args, options)
    : spawn('taskset', ['-c', cpus, command, ...args], options);
}

export class ManagedProcess {
  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM, then SIGKILL after 3 s; resolves with the exit code (null if killed by a signal). */
  async stop(): Promise<number | null> {
    const c = this.child;
    if (c.exitCode !== null || c.signalCode !== null) return c.exitCode;
    const exited = new Promise<number | null>((r) => c.once('exit', (code) => r(code)));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 3000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/** The seed's haproxy.cfg, changed only in addresses (as in the seed check). */
export function seedHaproxyConfig(
  listenPort: number,
  masterPort: number,
  replicaPorts: readonly number[],
): string {
  return `global
    maxconn 256

defaults
    mode tcp
    timeout connect 5000ms
    timeout client 50000ms
    timeout server 50000ms

frontend redis_frontend
    bind 127.0.0.1:${listenPort}
    acl is_write_cmd req.payload(0,0),regsub("[\\r\\n].*","") -m reg -i "^[A-Z]*\\s*(SET|DEL|INCR|DECR|LPUSH|RPUSH|SADD|ZADD|HSET|HDEL)"
    use_backend redis_master if is_write_cmd
    default_backend redis_replica

backend redis_master
    server redis-master 127.0.0.1:${masterPort} check

backend redis_replica
    balance roundrobin
${replicaPorts.map((p, i) => `    server redis-replica-${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

/** HAProxy in plain TCP mode to the master: the seed check's "minimal correct fix" and the bench reference. */
export function tcpHaproxyConfig(listenPort: number, masterPort: number): string {
  return `global
    maxconn 4096

defaults
    mode tcp
    timeout connect 5000ms
    timeout client 50000ms
    timeout server 50000ms

frontend redis_frontend
    bind 127.0.0.1:${listenPort}
    default_backend redis_master

backend redis_master
    server redis-master 127.0.0.1:${masterPort}
`;
}

export async function startHaproxy(
  dir: string,
  config: (port: number) => string,
  cpus?: string,
): Promise<ManagedProcess> {
  const port = await freePort();
  const file = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(file, config(port));
  const child = spawnOn(cpus, 'haproxy', ['-db', '-f', file], { stdio: 'ignore' });
  await waitFor(`haproxy on ${port}`, () => canConnect(port));
  return new ManagedProcess('haproxy', child, port);
}

export async function startTwemproxy(
  dir: string,
  masterPort: number,
  cpus?: string,
): Promise<ManagedProcess> {
  const port = await freePort();
  const stats = await freePort();
  const file = join(dir, `nutcracker-${port}.yml`);
  writeFileSync(
    file,
    `bench:\n  listen: 127.0.0.1:${port}\n  redis: true\n  hash: fnv1a_64\n  distribution: ketama\n  servers:\n    - 127.0.0.1:${masterPort}:1\n`,
  );
  const child = spawnOn(
    cpus,
    'nutcracker',
    [
      '-c',
      file,
      '-s',
      String(stats),
      '-a',
      '127.0.0.1',
      '-o',
      join(dir, `nutcracker-${port}.log`),
      '-p',
      join(dir, `nutcracker-${port}.pid`),
    ],
    { stdio: 'ignore' },
  );
  await waitFor(`nutcracker on ${port}`, () => canConnect(port));
  return new ManagedProcess('twemproxy', child, port);
}

/** Runs the ambassador's CLI as its own process (as in a pod), resolving once it accepts connections. */
export async function startAmbassadorProcess(
  args: string[],
  binPath: string,
  cpus?: string,
): Promise<ManagedProcess> {
  const port = await freePort();
  const child = spawnOn(
    cpus,
    process.execPath,
    [binPath, '--listen', `127.0.0.1:${port}`, '--log-level', 'warn', ...args],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  await waitFor(`redis-ambassador on ${port}`, () => canConnect(port));
  return new ManagedProcess('redis-ambassador', child, port);
}
