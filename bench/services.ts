/**
 * Service data path benchmark (issue 4, "Must show" → bench/), one run, the pod IP as the floor:
 *   - redis-benchmark from a client pod to a redis pod, through the Service's ClusterIP (nftables
 *     DNAT, routed through the node) and to the pod IP directly (bridged), alternating the order
 *     every round: requests/s and p50/p99 latency with kept-alive connections (`GET`, 16 clients),
 *     and with a new connection per request (`-k 0`: every request pays the DNAT/conntrack setup);
 *     the ClusterIP/direct throughput ratio per mode (goal >= 0.95), medians over the rounds;
 *   - cluster DNS latency from a pod: sequential UDP A queries for a Service name sent to the
 *     kube-dns ClusterIP (10.96.0.10), p50/p99/max, by a small node script inside the pod.
 * `uptime` load is printed beside every round (the machine is shared). Needs root and kubectl;
 * not part of the test suite. Cleans up: the server runs with --cleanup-on-exit and stops with
 * SIGTERM; the machine is then checked (links, mounts, cgroups, nft tables).
 *
 *   npx tsc -p tsconfig.json && flock /tmp/podbay-root-tests.lock node dist/bench/services.js [--rounds 5]
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { assertMachineClean, buildShim } from '../src/runtime/testing/harness.js';
import { TestServer } from '../test/e2e/harness.js';

const ROUNDS = Number(process.argv[process.argv.indexOf('--rounds') + 1] ?? 5) || 5;
const KEEPALIVE = { clients: 16, requests: 100_000 };
// Kept small: each request leaves a TIME_WAIT socket and a conntrack entry, and thousands per
// round exhaust the client's ephemeral ports (throughput then collapses for both targets).
const RECONNECT = { clients: 8, requests: 2_000 };
const DNS_QUERIES = 2_000;

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: bench-redis, labels: {app: bench-redis}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: redis
    image: redis
    args: [redis-server, --save, '', --appendonly, 'no']
    ports: [{containerPort: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: bench-redis}
spec:
  selector: {app: bench-redis}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: bench-client}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: c
    image: node
    command: [sleep, '3600']
`;

/** Runs inside the client pod: N sequential queries, one socket, prints JSON latencies (ms). */
const DNS_SCRIPT = `
const dgram = require('node:dgram');
const [server, name, n] = process.argv.slice(1);
const q = (id) => {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const head = Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([head, ...labels, Buffer.from([0, 0, 1, 0, 1])]);
};
const s = dgram.createSocket('udp4');
const times = [];
let i = 0, t0 = 0n;
const next = () => {
  if (i === Number(n)) { s.close(); console.log(JSON.stringify(times)); return; }
  t0 = process.hrtime.bigint();
  s.send(q(i & 0xffff), 53, server);
};
s.on('message', (m) => {
  if (m.readUInt16BE(0) !== (i & 0xffff) || (m.readUInt16BE(2) & 15) !== 0) return;
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  i++;
  next();
});
next();
`;

interface BenchRow {
  rps: number;
  p50: number;
  p99: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** redis-benchmark --csv: "GET","rps","avg","min","p50","p95","p99","max". */
function parseCsv(out: string): BenchRow {
  const line = out
    .trim()
    .split('\n')
    .find((l) => l.startsWith('"GET"'));
  const f = line?.split(',').map((c) => Number(c.replace(/"/g, '')));
  if (!f || f.length < 7 || Number.isNaN(f[1]))
    throw new Error(`redis-benchmark output not understood:\n${out}`);
  return { rps: f[1]!, p50: f[4]!, p99: f[6]! };
}

async function main(): Promise<void> {
  buildShim();
  const server = new TestServer();
  await server.start('127.0.0.1:0', ['--run-pods', '--cleanup-on-exit']);
  try {
    await run(server);
  } finally {
    await stop(server);
  }
}

/** Stops the server (--cleanup-on-exit), checks the machine is clean, removes its dirs. */
async function stop(server: TestServer): Promise<void> {
  const code = await server.stop('SIGTERM');
  try {
    assertMachineClean(server.dataDir);
    assert.equal(code, 0, `server exit code\n${server.stderr.slice(-2000)}`);
  } finally {
    await server.destroy();
  }
}

async function run(server: TestServer): Promise<void> {
  await server.k(['apply', '-f', '-'], MANIFEST);
  await server.k(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
  const podIP = (JSON.parse(await server.k(['get', 'pod', 'bench-redis', '-o', 'json'])) as Pod).status
    ?.podIP;
  const svc = JSON.parse(await server.k(['get', 'svc', 'bench-redis', '-o', 'json'])) as Service;
  const clusterIP = svc.spec?.clusterIP;
  if (!podIP || !clusterIP) throw new Error('no pod IP or ClusterIP');
  const exec = (args: string[]) => server.k(['exec', 'bench-client', '--', ...args]);
  const bench = async (host: string, mode: 'keepalive' | 'reconnect') => {
    const c = mode === 'keepalive' ? KEEPALIVE : RECONNECT;
    const keep = mode === 'keepalive' ? '1' : '0';
    const args = ['-h', host, '-c', String(c.clients), '-n', String(c.requests), '-k', keep, '-t', 'get'];
    return parseCsv(await exec(['redis-benchmark', ...args, '--csv']));
  };
  await bench(clusterIP, 'keepalive'); // warm-up: first connections, ARP, page cache
  const results: Record<string, BenchRow[]> = {};
  const record = (key: string, r: BenchRow) => {
    results[key] ??= [];
    results[key].push(r);
  };
  console.log(`services bench: ${ROUNDS} rounds; redis pod ${podIP}, ClusterIP ${clusterIP}`);
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? (['direct', 'clusterIP'] as const) : (['clusterIP', 'direct'] as const);
    for (const mode of ['keepalive', 'reconnect'] as const) {
      for (const target of order) {
        const r = await bench(target === 'direct' ? podIP : clusterIP, mode);
        record(`${mode}/${target}`, r);
        console.log(
          `round ${round} ${mode.padEnd(9)} ${target.padEnd(9)} ${r.rps.toFixed(0).padStart(7)} req/s ` +
            `p50 ${r.p50.toFixed(3)} ms p99 ${r.p99.toFixed(3)} ms  (load ${load()})`,
        );
      }
    }
  }
  console.log('\nmedians:');
  for (const mode of ['keepalive', 'reconnect'] as const) {
    const d = results[`${mode}/direct`]!;
    const c = results[`${mode}/clusterIP`]!;
    const ratio = median(c.map((r) => r.rps)) / median(d.map((r) => r.rps));
    console.log(
      `  ${mode.padEnd(9)} direct ${median(d.map((r) => r.rps)).toFixed(0)} req/s (p99 ${median(d.map((r) => r.p99)).toFixed(3)} ms)` +
        ` | ClusterIP ${median(c.map((r) => r.rps)).toFixed(0)} req/s (p99 ${median(c.map((r) => r.p99)).toFixed(3)} ms)` +
        ` | ratio ${ratio.toFixed(3)} (goal >= 0.95)`,
    );
  }
  const times = JSON.parse(
    await exec([
      'node',
      '-e',
      DNS_SCRIPT,
      '10.96.0.10',
      'bench-redis.default.svc.cluster.local',
      String(DNS_QUERIES),
    ]),
  ) as number[];
  console.log(
    `\ncluster DNS from a pod (${times.length} sequential A queries via 10.96.0.10): ` +
      `p50 ${pct(times, 50).toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms, max ${Math.max(...times).toFixed(3)} ms` +
      `  (load ${load()})`,
  );
}

await main();
