/**
 * Benchmark: redis-benchmark (SET/GET, 50 clients, -P 1 and -P 16) against, in one run:
 *   direct      the master itself
 *   ambassador  redis-ambassador (its CLI, own process) over the master and two replicas
 *   ambassador-m  the same with the master only: every command to the master, like the other proxies (on
 *               one machine the two replicas are two more busy processes on the same CPUs)
 *   ambassador-2w  the same with --workers 2 (two processes sharing the port, like HAProxy's two threads)
 *   haproxy     HAProxy in TCP mode to the master (the seed check's working configuration)
 *   twemproxy   Debian's nutcracker with the master as its only server
 *   node-pipe   the floor for a Node.js proxy: bytes piped per connection, no parsing (bench/node-pipe.ts)
 * under two CPU placements, each a block of interleaved rounds:
 *   shared      every process may run on every CPU (on 2 cores the proxy, redis-benchmark and the Redis
 *               servers compete for them, as on a small node without CPU requests)
 *   dedicated   the proxy under test alone on CPU 1, the Redis servers and redis-benchmark on CPU 0 (a
 *               sidecar with a CPU of its own; every target, direct included, runs with the same two CPUs
 *               placed this way). The proxies are started on their CPU, so HAProxy and Node size their
 *               thread pools for it; ambassador-2w is not run here (two workers on one CPU).
 * The median requests/s per (placement, target, depth, command) is reported with the ratio to direct, the
 * p99 latency added over direct and the proxy's CPU per command, then the goal per placement.
 * Every target gets one unmeasured warm-up run per depth after it starts.
 * -P 16 runs make 10x the requests of -P 1 runs (`--pipelined-requests`) so both last about a second:
 * with 100,000 requests a -P 16 run is over in ~0.1 s and its p99 is decided by one scheduling hiccup.
 * Everything runs on loopback; every process is stopped by PID at the end. Bounded: the request counts
 * per run, `--rounds` (default 3), and a 30-minute overall limit.
 *
 *   node images/redis-ambassador/dist/bench/run.js [--requests N] [--pipelined-requests N] [--rounds N]
 *        [--placements shared,dedicated]
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { canConnect, freePort, RedisGroup, waitFor } from '@podbay/test-support';
import {
  ManagedProcess,
  spawnOn,
  startAmbassadorProcess,
  startHaproxy,
  startTwemproxy,
  tcpHaproxyConfig,
} from '../test/support/proxies.js';
import { processTreeCpuNs } from './process-cpu.js';

const run = promisify(execFile);
const OVERALL_LIMIT_MS = 30 * 60 * 1000;

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

async function redisBenchmark(
  port: number,
  pipeline: number,
  requests: number,
  cpus: string | undefined,
): Promise<Map<string, Sample>> {
  const { stdout } = await run(
    cpus === undefined ? 'redis-benchmark' : 'taskset',
    [
      ...(cpus === undefined ? [] : ['-c', cpus, 'redis-benchmark']),
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
async function startNodePipe(masterPort: number, cpus: string | undefined): Promise<ManagedProcess> {
  const port = await freePort();
  const script = [
    fileURLToPath(new URL('./node-pipe.js', import.meta.url)),
    String(port),
    String(masterPort),
  ];
  const child = spawnOn(cpus, process.execPath, script, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`node-pipe on ${port}`, () => canConnect(port));
  return new ManagedProcess('node-pipe', child, port);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

interface Placement {
  readonly name: 'shared' | 'dedicated';
  /** CPUs of the proxy under test (undefined: all). */
  readonly proxyCpus?: string;
  /** CPUs of the Redis servers and redis-benchmark (undefined: all). */
  readonly serverCpus?: string;
}

const PLACEMENTS: Record<Placement['name'], Placement> = {
  shared: { name: 'shared' },
  dedicated: { name: 'dedicated', proxyCpus: '1', serverCpus: '0' },
};

/** Confines every thread of a running process (Redis has background threads) to `cpus`. */
async function setAffinity(pid: number, cpus: string): Promise<void> {
  await run('taskset', ['-a', '-p', '-c', cpus, String(pid)]);
}

type Target = readonly [name: string, port: number, pid: number | undefined];

/** The proxies of one placement, started on its CPUs (and stopped by the caller). */
async function startProxies(
  placement: Placement,
  masterPort: number,
  replicaPorts: readonly number[],
  dir: string,
  procs: ManagedProcess[],
): Promise<Target[]> {
  const bin = fileURLToPath(new URL('../../bin/redis-ambassador.js', import.meta.url));
  const masterOnly = ['--metrics-listen', 'off', '--master', `127.0.0.1:${masterPort}`];
  const backends = [...masterOnly, '--replicas', replicaPorts.map((p) => `127.0.0.1:${p}`).join(',')];
  const cpus = placement.proxyCpus;
  const started = async (name: string, p: Promise<ManagedProcess>): Promise<Target> => {
    const proc = await p;
    procs.push(proc);
    return [name, proc.port, proc.pid];
  };
  const targets: Target[] = [['direct', masterPort, undefined]];
  targets.push(await started('ambassador', startAmbassadorProcess(backends, bin, cpus)));
  targets.push(await started('ambassador-m', startAmbassadorProcess(masterOnly, bin, cpus)));
  if (placement.name === 'shared')
    targets.push(
      await started('ambassador-2w', startAmbassadorProcess(['--workers', '2', ...backends], bin, cpus)),
    );
  targets.push(
    await started(
      'haproxy',
      startHaproxy(dir, (port) => tcpHaproxyConfig(port, masterPort), cpus),
    ),
  );
  targets.push(await started('twemproxy', startTwemproxy(dir, masterPort, cpus)));
  targets.push(await started('node-pipe', startNodePipe(masterPort, cpus)));
  return targets;
}

interface PlacementResult {
  readonly targets: readonly Target[];
  readonly samples: Map<string, Sample[]>;
  /** Proxy CPU per command (SET and GET together), µs, per `${pipeline}|${name}`. */
  readonly cpu: Map<string, number[]>;
}

function push<T>(m: Map<string, T[]>, key: string, v: T): void {
  const xs = m.get(key);
  if (xs) xs.push(v);
  else m.set(key, [v]);
}

function printPlacement(placement: Placement, r: PlacementResult): void {
  const where =
    placement.name === 'shared'
      ? 'every process on any CPU'
      : `proxy on CPU ${placement.proxyCpus}, Redis servers and redis-benchmark on CPU ${placement.serverCpus}`;
  console.log(`\n## placement: ${placement.name} (${where})\n`);
  console.log(
    '| -P | cmd | target | requests/s | ratio to direct | p50 ms | p99 ms | p99 added ms | proxy CPU µs/cmd |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  const row = (pipeline: number, cmd: string, name: string) => {
    const samples = r.samples.get(`${pipeline}|${cmd}|${name}`)!;
    return {
      rps: median(samples.map((s) => s.rps)),
      p50: median(samples.map((s) => s.p50)),
      p99: median(samples.map((s) => s.p99)),
    };
  };
  const goal: string[] = [];
  for (const pipeline of [1, 16]) {
    for (const cmd of ['SET', 'GET']) {
      const direct = row(pipeline, cmd, 'direct');
      for (const [name] of r.targets) {
        const x = row(pipeline, cmd, name);
        const cpu = r.cpu.get(`${pipeline}|${name}`);
        console.log(
          `| ${pipeline} | ${cmd} | ${name} | ${Math.round(x.rps)} | ${(x.rps / direct.rps).toFixed(2)} | ${x.p50.toFixed(3)} | ${x.p99.toFixed(3)} | ${name === 'direct' ? '-' : (x.p99 - direct.p99).toFixed(3)} | ${cpu ? median(cpu).toFixed(2) : '-'} |`,
        );
      }
      const hap = row(pipeline, cmd, 'haproxy');
      const hapRatio = hap.rps / direct.rps;
      for (const name of ['ambassador', 'ambassador-m']) {
        const amb = row(pipeline, cmd, name);
        const ratio = amb.rps / direct.rps;
        const added = amb.p99 - direct.p99;
        goal.push(
          `| ${pipeline} | ${cmd} | ${name} | ${ratio.toFixed(2)} | ${hapRatio.toFixed(2)} | ${ratio > hapRatio ? 'yes' : 'no'} | ${added.toFixed(2)} | ${(hap.p99 - direct.p99).toFixed(2)} | ${added < 1 ? 'yes' : 'no'} |`,
        );
      }
    }
  }
  console.log(`\nGoal, placement ${placement.name}: ratio above HAProxy's, p99 added under 1 ms\n`);
  console.log(
    '| -P | cmd | target | ratio to direct | HAProxy ratio | above | p99 added ms | HAProxy p99 added ms | < 1 ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const line of goal) console.log(line);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string' },
      'pipelined-requests': { type: 'string' },
      rounds: { type: 'string' },
      placements: { type: 'string' },
    },
  });
  const requests = Number(values.requests ?? 100_000);
  const pipelinedRequests = Number(values['pipelined-requests'] ?? 10 * requests);
  const rounds = Number(values.rounds ?? 3);
  const placements = (values.placements ?? 'shared,dedicated').split(',').map((name) => {
    const p = PLACEMENTS[name as Placement['name']];
    if (!p) throw new Error(`--placements: unknown placement ${JSON.stringify(name)} (shared, dedicated)`);
    return p;
  });
  for (const [flag, n] of [
    ['--requests', requests],
    ['--pipelined-requests', pipelinedRequests],
    ['--rounds', rounds],
  ] as const)
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: a positive integer, got ${n}`);
  const cpuCount = os.availableParallelism();
  if (cpuCount < 2 && placements.some((p) => p.name === 'dedicated'))
    throw new Error('the dedicated placement needs 2 CPUs (use --placements shared)');
  const allCpus = `0-${cpuCount - 1}`;
  const started = Date.now();
  const dir = mkdtempSync(join(os.tmpdir(), 'ambassador-bench-'));
  const group = new RedisGroup();
  const procs: ManagedProcess[] = [];
  const results = new Map<Placement['name'], PlacementResult>();
  try {
    const { master, replicas } = await group.startReplicated(2);
    const servers = [master, ...replicas];
    for (const placement of placements) {
      for (const s of servers) await setAffinity(s.pid!, placement.serverCpus ?? allCpus);
      const first = procs.length;
      const targets = await startProxies(
        placement,
        master.port,
        replicas.map((r) => r.port),
        dir,
        procs,
      );
      // One unmeasured run per target and depth first: the ambassador and node-pipe are JavaScript, and a
      // first run would time V8's compiler (HAProxy and twemproxy lose nothing by it).
      for (const [, port] of targets)
        for (const pipeline of [1, 16]) await redisBenchmark(port, pipeline, requests, placement.serverCpus);
      const result: PlacementResult = { targets, samples: new Map(), cpu: new Map() };
      results.set(placement.name, result);
      for (let round = 0; round < rounds; round++) {
        for (const pipeline of [1, 16]) {
          const n = pipeline === 1 ? requests : pipelinedRequests;
          for (const [name, port, pid] of targets) {
            if (Date.now() - started > OVERALL_LIMIT_MS)
              throw new Error('benchmark exceeded its 30-minute limit');
            const cpuBefore = pid === undefined ? 0 : processTreeCpuNs(pid);
            const r = await redisBenchmark(port, pipeline, n, placement.serverCpus);
            if (pid !== undefined)
              push(result.cpu, `${pipeline}|${name}`, (processTreeCpuNs(pid) - cpuBefore) / 1000 / (2 * n));
            for (const [cmd, sample] of r) push(result.samples, `${pipeline}|${cmd}|${name}`, sample);
            process.stderr.write(
              `${placement.name} round ${round + 1}/${rounds} -P ${pipeline} ${name}: SET ${r.get('SET')!.rps} GET ${r.get('GET')!.rps}\n`,
            );
          }
        }
      }
      // This placement's proxies go before the next one's start: they would only sit on its CPUs.
      for (const p of procs.splice(first)) await p.stop();
    }
    const cpus = os.cpus();
    console.log(`# redis-ambassador benchmark (${new Date().toISOString()})`);
    console.log(
      `machine: ${cpus.length} x ${cpus[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, node ${process.version}`,
    );
    console.log(
      `load: redis-benchmark -c 50 -t set,get, -n ${requests} at -P 1 and ${pipelinedRequests} at -P 16; median of ${rounds} interleaved rounds per placement; proxy CPU is the proxy's processes and threads (SET and GET together) per command`,
    );
    for (const placement of placements) printPlacement(placement, results.get(placement.name)!);
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
