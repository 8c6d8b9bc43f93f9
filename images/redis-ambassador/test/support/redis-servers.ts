/**
 * Starts real redis-server processes (Debian's) on free loopback ports in a temp dir, and stops them by PID.
 * Tests call `stopAll` in `after`, which also removes the temp dirs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RespError } from '../../src/resp/decode.js';
import { command } from './raw-client.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 20 ms until it returns true, failing after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export class RedisServer {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly args: string[],
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        ...this.args,
      ],
      {
        stdio: 'ignore',
      },
    );
    await waitFor(`redis on ${this.port}`, async () => {
      const reply = await command(this.port, ['PING'], 500);
      // A password-protected server answers NOAUTH: it is up all the same.
      return reply === 'PONG' || (reply instanceof RespError && reply.message.startsWith('NOAUTH'));
    });
  }

  /** Kills the process (SIGKILL by default, like a crash) and waits for it to exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }
}

export class RedisGroup {
  readonly servers: RedisServer[] = [];
  private readonly dirs: string[] = [];

  async startServer(extraArgs: string[] = []): Promise<RedisServer> {
    const dir = mkdtempSync(join(tmpdir(), 'ambassador-redis-'));
    this.dirs.push(dir);
    const server = new RedisServer(await freePort(), dir, extraArgs);
    // Tracked before it starts, so stopAll also stops a server that never answered.
    this.servers.push(server);
    await server.start();
    return server;
  }

  /** A master and `replicaCount` replicas, returned once every replica reports its link up. */
  async startReplicated(replicaCount: number): Promise<{ master: RedisServer; replicas: RedisServer[] }> {
    // Redis 7 waits 5 s (repl-diskless-sync-delay) for more replicas before a full sync: without
    // this every replicated test starts 5 s later.
    const master = await this.startServer(['--repl-diskless-sync-delay', '0']);
    const replicas: RedisServer[] = [];
    for (let i = 0; i < replicaCount; i++) {
      replicas.push(
        await this.startServer([
          '--replicaof',
          '127.0.0.1',
          String(master.port),
          '--repl-diskless-load',
          'disabled',
        ]),
      );
    }
    for (const r of replicas) await waitForLink(r.port);
    return { master, replicas };
  }

  async stopAll(): Promise<void> {
    for (const s of this.servers) await s.kill('SIGKILL');
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

export async function waitForLink(port: number): Promise<void> {
  await waitFor(`replica ${port} link up`, async () => {
    const role = await command(port, ['ROLE'], 500);
    return Array.isArray(role) && role[3] === 'connected';
  });
}
