/**
 * Benchmark: scrape latency and RSS of the adapter for a source with 10,000 series, against the seed's
 * chain repaired (busybox awk -> textfile -> node-exporter's textfile collector) in the same run.
 *
 *   cd /work/main && npx tsc -b images/metrics-adapter/tsconfig.json && \
 *     node images/metrics-adapter/dist/bench/scrape-latency.js [--scrapes 500] [--series 10000]
 *
 * Everything is on loopback. Loops are bounded by count and by a 60 s wall-clock cap per phase.
 * Not run by the tests. Prints a table and the ratios adapter/reference (lower is better).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AdapterProcess } from '../test/helpers/adapter-process.js';
import { LegacyApp } from '../test/helpers/legacy-app.js';
import { freePort, ServerProcess, waitFor } from '../test/helpers/ports-and-dirs.js';

const PHASE_CAP_MS = 60_000;
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const { values } = parseArgs({
  options: {
    scrapes: { type: 'string', default: '500' },
    series: { type: 'string', default: '10000' },
    'node-options': { type: 'string', default: '' },
    // Values change on every read (3 bodies in turn), as live counters do; without it the body repeats.
    'changing-values': { type: 'boolean', default: false },
  },
});
const CHANGING = values['changing-values'] === true;
const SCRAPES = Math.min(5_000, Number(values.scrapes));
const SERIES = Math.min(100_000, Number(values.series));
/** NODE_OPTIONS for the adapter child, e.g. '--max-semi-space-size=2' (what the Dockerfile sets). */
const ADAPTER_ENV = values['node-options'] ? { NODE_OPTIONS: values['node-options'] } : {};

/**
 * A legacy body with SERIES lines: a quarter plain `name value`, the rest labelled. `gen` shifts every
 * value (generation 0 is the body used without --changing-values).
 */
function legacyBody(n: number, gen = 0): string {
  const lines = ['# legacy stats v1'];
  for (let i = 0; i < n; i++) {
    if (i % 4 === 0) lines.push(`stat_${i}_total ${i * 3 + gen}`);
    else
      lines.push(
        `route_latency_seconds{route="/api/r${i}",method="${i % 2 ? 'GET' : 'POST'}"} ${((i + gen) % 1000) / 1000}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  n: number;
  bytes: number;
}

/** Called before each request (--changing-values swaps the legacy app's body there). */
let beforeRequest: (i: number) => void = () => {};

async function measure(url: string, count: number): Promise<Stats> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const times: number[] = [];
  let bytes = 0;
  const deadline = Date.now() + PHASE_CAP_MS;
  for (let i = 0; i < count + 20 && Date.now() < deadline; i++) {
    beforeRequest(i);
    const started = performance.now();
    const size = await new Promise<number>((resolve, reject) => {
      http
        .get(url, { agent, headers: { accept: PROMETHEUS_ACCEPT } }, (res) => {
          let len = 0;
          res.on('data', (c: Buffer) => {
            len += c.length;
          });
          res.on('end', () =>
            res.statusCode === 200 ? resolve(len) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        })
        .on('error', reject);
    });
    if (i >= 20) times.push(performance.now() - started); // the first 20 warm up JIT and caches
    bytes = size;
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  const q = (p: number): number =>
    times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? Number.NaN;
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: times.at(-1) ?? Number.NaN, n: times.length, bytes };
}

function rssKiB(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** User + system CPU seconds the process has used (from /proc/PID/stat); robust to a loaded machine. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function row(name: string, s: Stats, mem: { rss: number; hwm: number }, cpuMs?: number): string {
  const f = (x: number): string => x.toFixed(2).padStart(8);
  return `${name.padEnd(44)}${f(s.p50)}${f(s.p90)}${f(s.p99)}${f(s.max)}${String(s.n).padStart(6)}${String(Math.round(s.bytes / 1024)).padStart(8)}${String(Math.round(mem.rss / 1024)).padStart(8)}${String(Math.round(mem.hwm / 1024)).padStart(8)}${(cpuMs === undefined ? '' : cpuMs.toFixed(2)).padStart(10)}`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'metrics-adapter-bench-'));
  const body = legacyBody(SERIES);
  const app = await LegacyApp.start();
  app.behaviour = { kind: 'ok', body };
  if (CHANGING) {
    const bodies = [body, legacyBody(SERIES, 1), legacyBody(SERIES, 2)];
    beforeRequest = (i) => {
      app.behaviour = { kind: 'ok', body: bodies[i % 3]! };
    };
  }
  const results: string[] = [];
  let live: { s: Stats; m: { rss: number; hwm: number } } | undefined;
  let reference: { s: Stats; m: { rss: number; hwm: number } } | undefined;
  try {
    // 1. The adapter, cache off: every scrape fetches, parses, maps and renders all series.
    const a1 = await AdapterProcess.start(['--source', app.url, '--cache', '0'], ADAPTER_ENV);
    const cpu1 = cpuSeconds(a1.child.pid!);
    const s1 = await measure(a1.metricsUrl, SCRAPES);
    live = { s: s1, m: rssKiB(a1.child.pid!) };
    const cpuMs1 = ((cpuSeconds(a1.child.pid!) - cpu1) * 1000) / (s1.n + 20);
    results.push(row('adapter, cache 0 (fetch every scrape)', s1, live.m, cpuMs1));
    await a1.stop();

    // 2. The adapter with its default 1 s cache (Prometheus HA pairs scraping within the same second).
    const a2 = await AdapterProcess.start(['--source', app.url], ADAPTER_ENV);
    const cpu2 = cpuSeconds(a2.child.pid!);
    const s2 = await measure(a2.metricsUrl, SCRAPES);
    const cpuMs2 = ((cpuSeconds(a2.child.pid!) - cpu2) * 1000) / (s2.n + 20);
    results.push(row('adapter, cache 1s (default)', s2, rssKiB(a2.child.pid!), cpuMs2));
    await a2.stop();

    // 3. Reference: the seed's chain repaired (a file converted once, so its values never change) (awk without `.prom`, tmp + mv) feeding node-exporter.
    const src = join(dir, 'stats.txt');
    writeFileSync(src, body);
    const textDir = join(dir, 'textfile');
    execFileSync('mkdir', ['-p', textDir]);
    const awkStart = performance.now();
    const converted = execFileSync('busybox', ['awk', '!/^#/ { print "legacy_" $0 }', src], {
      maxBuffer: 256 * 1024 * 1024,
    });
    const awkMs = performance.now() - awkStart;
    writeFileSync(join(textDir, 'legacy_app.prom.tmp'), converted);
    execFileSync('mv', [join(textDir, 'legacy_app.prom.tmp'), join(textDir, 'legacy_app.prom')]);
    const port = await freePort();
    const exporter = new ServerProcess('/usr/bin/prometheus-node-exporter', [
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textDir}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ]);
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      await waitFor('node-exporter', async () => ((await fetch(url)).ok ? true : undefined), 15_000, 100);
      const cpu3 = cpuSeconds(exporter.child.pid!);
      const s3 = await measure(url, SCRAPES);
      reference = { s: s3, m: rssKiB(exporter.child.pid!) };
      const cpuMs3 = ((cpuSeconds(exporter.child.pid!) - cpu3) * 1000) / (s3.n + 20);
      results.push(row('reference: node-exporter textfile (+awk)', s3, reference.m, cpuMs3));
    } finally {
      await exporter.stop();
    }
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `metrics-adapter bench: ${SERIES} series, ${SCRAPES} scrapes per phase (after 20 warm-up), values ${CHANGING ? 'changing every read' : 'repeating'}, Node ${process.version}, ${cpus().length} x ${cpu}, adapter NODE_OPTIONS='${values['node-options']}'`,
    );
    console.log(
      `${'phase'.padEnd(44)}${'p50 ms'.padStart(8)}${'p90 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'max ms'.padStart(8)}${'n'.padStart(6)}${'KiB'.padStart(8)}${'RSS MiB'.padStart(8)}${'HWM MiB'.padStart(8)}${'CPU ms/s'.padStart(10)}`,
    );
    for (const r of results) console.log(r);
    console.log(
      `reference conversion (busybox awk over ${SERIES} lines, once per 30 s loop in the seed): ${awkMs.toFixed(1)} ms`,
    );
    if (live && reference) {
      console.log(
        `ratios adapter(cache 0)/reference: p50 ${(live.s.p50 / reference.s.p50).toFixed(2)}x, p99 ${(live.s.p99 / reference.s.p99).toFixed(2)}x, RSS ${(live.m.rss / reference.m.rss).toFixed(2)}x`,
      );
      console.log(
        `goal p99 < 20 ms (cache 0): ${live.s.p99 < 20 ? 'met' : 'NOT met'} (${live.s.p99.toFixed(2)} ms)`,
      );
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
