/**
 * Benchmark: redis-benchmark (SET/GET, 50 clients, -P 1 and -P 16) against, in one run:
 *   direct      the master itself
 *   ambassador  redis-ambassador (its CLI, own process) over the master and two replicas
 *   ambassador-2w  the same with --workers 2 (two processes sharing the port, like HAProxy's two threads)
 *   haproxy     HAProxy in TCP mode to the master (the seed check's working configuration)
 *   twemproxy   Debian's nutcracker with the master as its only server
 *   node-pipe   the floor for a Node.js proxy: bytes piped per connection, no parsing (bench/node-pipe.ts)
 * Rounds are interleaved; the median requests/s per (target, depth, command) is reported with the ratio to
 * direct and the p99 latency added over direct. Everything runs on loopback; every process is stopped by
 * PID at the end. Bounded: `--requests` per run (default 100000), `--rounds` (default 3), and a 20-minute
 * overall limit.
 *
 *   node images/redis-ambassador/dist/bench/run.js [--requests N] [--rounds N]
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import {
  canConnect,
  ManagedProcess,
  startAmbassadorProcess,
  startHaproxy,
  startTwemproxy,
  tcpHaproxyConfig,
} from '../test/support/proxies.js';
import { freePort, RedisGroup, waitFor } from '../test/support/redis-servers.js';
import { processTreeCpuNs } from './process-cpu.js';

const run = promisify(execFile);
const OVERALL_LIMIT_MS = 20 * 60 * 1000;

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

async function redisBenchmark(
  port: number,
  pipeline: number,
  requests: number,
): Promise<Map<string, Sample>> {
  const { stdout } = await run(
    'redis-benchmark',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-q',
      '--csv',
      '-n',
      String(requests),
      '-c',
      '50',
      '-P',
      String(pipeline),
      '-t',
      'set,get',
    ],
    { timeout: 120_000 },
  );
  const out = new Map<string, Sample>();
  for (const line of stdout.split('\n')) {
    const cols = line.split(',').map((c) => c.replace(/"/g, ''));
    if (cols[0] === 'SET' || cols[0] === 'GET')
      out.set(cols[0], { rps: Number(cols[1]), p50: Number(cols[4]), p99: Number(cols[6]) });
  }
  if (out.size !== 2) throw new Error(`redis-benchmark on port ${port} printed no results:\n${stdout}`);
  return out;
}

/** bench/node-pipe.ts in its own process, like the ambassador. */
async function startNodePipe(masterPort: number): Promise<ManagedProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./node-pipe.js', import.meta.url)), String(port), String(masterPort)],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitFor(`node-pipe on ${port}`, () => canConnect(port));
  return new ManagedProcess('node-pipe', child, port);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { requests: { type: 'string' }, rounds: { type: 'string' } } });
  const requests = Number(values.requests ?? 100_000);
  const rounds = Number(values.rounds ?? 3);
  const started = Date.now();
  const dir = mkdtempSync(join(os.tmpdir(), 'ambassador-bench-'));
  const group = new RedisGroup();
  const procs: ManagedProcess[] = [];
  try {
    const { master, replicas } = await group.startReplicated(2);
    const bin = fileURLToPath(new URL('../../bin/redis-ambassador.js', import.meta.url));
    const ambassador = await startAmbassadorProcess(
      [
        '--metrics-listen',
        'off',
        '--master',
        `127.0.0.1:${master.port}`,
        '--replicas',
        replicas.map((r) => `127.0.0.1:${r.port}`).join(','),
      ],
      bin,
    );
    procs.push(ambassador);
    const ambassador2 = await startAmbassadorProcess(
      [
        '--metrics-listen',
        'off',
        '--workers',
        '2',
        '--master',
        `127.0.0.1:${master.port}`,
        '--replicas',
        replicas.map((r) => `127.0.0.1:${r.port}`).join(','),
      ],
      bin,
    );
    procs.push(ambassador2);
    const haproxy = await startHaproxy(dir, (port) => tcpHaproxyConfig(port, master.port));
    procs.push(haproxy);
    const twemproxy = await startTwemproxy(dir, master.port);
    procs.push(twemproxy);
    const nodePipe = await startNodePipe(master.port);
    procs.push(nodePipe);
    // [name, port, pid of the proxy whose CPU is measured (none for direct)]
    const targets: [string, number, number | undefined][] = [
      ['direct', master.port, undefined],
      ['ambassador', ambassador.port, ambassador.pid],
      ['ambassador-2w', ambassador2.port, ambassador2.pid],
      ['haproxy', haproxy.port, haproxy.pid],
      ['twemproxy', twemproxy.port, twemproxy.pid],
      ['node-pipe', nodePipe.port, nodePipe.pid],
    ];
    /** Proxy CPU per command (SET and GET together), µs, per `${pipeline}|${name}`. */
    const cpuPerCommand = new Map<string, number[]>();
    const results = new Map<string, Sample[]>();
    for (let round = 0; round < rounds; round++) {
      for (const pipeline of [1, 16]) {
        for (const [name, port, pid] of targets) {
          if (Date.now() - started > OVERALL_LIMIT_MS)
            throw new Error('benchmark exceeded its 20-minute limit');
          const cpuBefore = pid === undefined ? 0 : processTreeCpuNs(pid);
          const r = await redisBenchmark(port, pipeline, requests);
          if (pid !== undefined) {
            const us = (processTreeCpuNs(pid) - cpuBefore) / 1000 / (2 * requests);
            const key = `${pipeline}|${name}`;
            cpuPerCommand.set(key, [...(cpuPerCommand.get(key) ?? []), us]);
          }
          for (const [cmd, sample] of r) {
            const key = `${pipeline}|${cmd}|${name}`;
            results.set(key, [...(results.get(key) ?? []), sample]);
          }
          process.stderr.write(
            `round ${round + 1}/${rounds} -P ${pipeline} ${name}: SET ${r.get('SET')!.rps} GET ${r.get('GET')!.rps}\n`,
          );
        }
      }
    }
    const cpus = os.cpus();
    console.log(`# redis-ambassador benchmark (${new Date().toISOString()})`);
    console.log(
      `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, node ${process.version}`,
    );
    console.log(
      `load: redis-benchmark -c 50 -n ${requests} -t set,get; median of ${rounds} interleaved rounds; proxy CPU is the proxy's processes and threads (SET and GET together) per command\n`,
    );
    console.log(
      '| -P | cmd | target | requests/s | ratio to direct | p50 ms | p99 ms | p99 added ms | proxy CPU µs/cmd |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    const cpu = (pipeline: number, name: string): string => {
      const xs = cpuPerCommand.get(`${pipeline}|${name}`);
      return xs ? median(xs).toFixed(2) : '-';
    };
    for (const pipeline of [1, 16]) {
      for (const cmd of ['SET', 'GET']) {
        const direct = results.get(`${pipeline}|${cmd}|direct`)!;
        const directRps = median(direct.map((s) => s.rps));
        const directP99 = median(direct.map((s) => s.p99));
        for (const [name] of targets) {
          const samples = results.get(`${pipeline}|${cmd}|${name}`)!;
          const rps = median(samples.map((s) => s.rps));
          const p99 = median(samples.map((s) => s.p99));
          console.log(
            `| ${pipeline} | ${cmd} | ${name} | ${Math.round(rps)} | ${(rps / directRps).toFixed(2)} | ${median(samples.map((s) => s.p50)).toFixed(3)} | ${p99.toFixed(3)} | ${name === 'direct' ? '-' : (p99 - directP99).toFixed(3)} | ${cpu(pipeline, name)} |`,
          );
        }
      }
    }
  } finally {
    for (const p of procs) await p.stop();
    await group.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
