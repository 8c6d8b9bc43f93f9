/**
 * API server benchmarks, one run, printed side by side with their references:
 *   - cold start to /readyz (first start, which makes the PKI, and a restart on existing data),
 *   - idle RSS after start,
 *   - create throughput (1,000 pods, 16 in flight, HTTPS keep-alive) beside the floor: the
 *     same JSON inserted into SQLite directly, in process,
 *   - list latency with 1,000 pods (JSON and Table), p50/p99,
 *   - watch event latency (POST sent → event received), p50/p99.
 * kind and k3s cannot run on this machine (no container engine); their published figures are
 * printed as the reference (sources in docs/BENCHMARKS.md). Loops are bounded in count.
 *
 *   npm run build && node dist/bench/api.js
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import YAML from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/podbay.js');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;

interface Running {
  pid: number;
  url: string;
  token: string;
  ca: Buffer;
  stop(): Promise<void>;
}

async function startServer(dataDir: string): Promise<{ srv: Running; startMs: number }> {
  rmSync(join(dataDir, 'kubeconfig'), { force: true });
  const t0 = performance.now();
  const p = spawn(
    process.execPath,
    [BIN, 'server', '--no-run-pods', '--data-dir', dataDir, '--listen', '127.0.0.1:0'],
    {
      stdio: 'ignore',
    },
  );
  const kc = join(dataDir, 'kubeconfig');
  while (!existsSync(kc)) {
    if (performance.now() - t0 > 20_000) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 1));
  }
  const cfg = YAML.parse(readFileSync(kc, 'utf8'));
  const srv: Running = {
    pid: p.pid!,
    url: cfg.clusters[0].cluster.server,
    token: cfg.users[0].user.token,
    ca: Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64'),
    stop: () =>
      new Promise((r) => {
        p.once('exit', () => r());
        p.kill('SIGTERM');
      }),
  };
  // Ready means /readyz answers 200: measure to that, not just to the file.
  for (;;) {
    try {
      const r = await call(srv, new Agent({ keepAlive: false }), 'GET', '/readyz');
      if (r.status === 200) break;
    } catch {
      /* not yet */
    }
  }
  return { srv, startMs: performance.now() - t0 };
}

function call(srv: Running, agent: Agent, method: string, path: string, body?: string, accept?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      new URL(path, srv.url),
      {
        method,
        agent,
        ca: srv.ca,
        headers: {
          Authorization: `Bearer ${srv.token}`,
          ...(body ? { 'Content-Type': 'application/json' } : {}),
          ...(accept ? { Accept: accept } : {}),
        },
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const rssMiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const podJSON = (i: number) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `bench-${i}`, labels: { app: 'bench', shard: String(i % 10) } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80 }],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  });

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-'));
  try {
    const first = await startServer(dir);
    await first.srv.stop();
    const { srv, startMs } = await startServer(dir);
    await new Promise((r) => setTimeout(r, 2000));
    const idleRss = rssMiB(srv.pid);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    await call(srv, agent, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));

    const N = 1000;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < N) {
          const i = next++;
          const r = await call(srv, agent, 'POST', '/api/v1/namespaces/bench/pods', podJSON(i));
          if (r.status !== 201) throw new Error(`create ${i}: ${r.status} ${r.body}`);
        }
      }),
    );
    const createPerSec = N / ((performance.now() - t0) / 1000);

    const db = new Database(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, k TEXT, v TEXT)');
    const ins = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const f0 = performance.now();
    for (let i = 0; i < N; i++) ins.run(`bench-${i}`, podJSON(i));
    const floorPerSec = N / ((performance.now() - f0) / 1000);
    db.close();

    const listJson: number[] = [];
    const listTable: number[] = [];
    for (let i = 0; i < 30; i++) {
      let s = performance.now();
      await call(srv, agent, 'GET', '/api/v1/namespaces/bench/pods');
      listJson.push(performance.now() - s);
      s = performance.now();
      await call(
        srv,
        agent,
        'GET',
        '/api/v1/namespaces/bench/pods',
        undefined,
        'application/json;as=Table;v=v1;g=meta.k8s.io',
      );
      listTable.push(performance.now() - s);
    }
    const rssLoaded = rssMiB(srv.pid);

    // Watch latency: one open watch, 200 creates, time from send to event.
    const sent = new Map<string, number>();
    const lat: number[] = [];
    const watchReq = request(new URL('/api/v1/namespaces/bench/configmaps?watch=true', srv.url), {
      ca: srv.ca,
      headers: { Authorization: `Bearer ${srv.token}` },
    });
    const watching = new Promise<void>((resolve) => {
      watchReq.on('response', (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const ev = JSON.parse(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
            const t = sent.get(ev.object.metadata.name);
            if (t !== undefined) lat.push(performance.now() - t);
          }
        });
        resolve();
      });
    });
    watchReq.end();
    await watching;
    for (let i = 0; i < 200; i++) {
      const name = `w-${i}`;
      sent.set(name, performance.now());
      await call(
        srv,
        agent,
        'POST',
        '/api/v1/namespaces/bench/configmaps',
        JSON.stringify({ metadata: { name } }),
      );
    }
    await new Promise((r) => setTimeout(r, 200));
    watchReq.destroy();
    agent.destroy();
    await srv.stop();

    const rows: [string, string, string, string][] = [
      [
        'cold start → /readyz (first start, makes PKI)',
        ms(first.startMs),
        'kind 12.5–17.1 s; k3s tens of s',
        `${(12_500 / first.startMs).toFixed(0)}× faster than kind's best`,
      ],
      [
        'cold start → /readyz (restart on existing data)',
        ms(startMs),
        'goal < 300 ms',
        startMs < 300 ? 'meets goal' : 'MISSES goal',
      ],
      [
        'idle RSS after start',
        `${idleRss.toFixed(1)} MiB`,
        'goal < 80 MB; k3s ~500 MB idle',
        `${(500 / idleRss).toFixed(1)}× less than k3s`,
      ],
      ['RSS holding 1,000 pods', `${rssLoaded.toFixed(1)} MiB`, '', ''],
      [
        'create throughput (1,000 pods, 16 in flight)',
        `${createPerSec.toFixed(0)} pods/s`,
        `floor: SQLite direct ${floorPerSec.toFixed(0)} rows/s`,
        `ratio to floor ${(createPerSec / floorPerSec).toFixed(3)}`,
      ],
      [
        'list 1,000 pods, JSON p50 / p99',
        `${ms(pct(listJson, 50))} / ${ms(pct(listJson, 99))}`,
        'k8s SLO: list p99 ≤ 30 s (cluster-scoped)',
        '',
      ],
      ['list 1,000 pods, Table p50 / p99', `${ms(pct(listTable, 50))} / ${ms(pct(listTable, 99))}`, '', ''],
      [
        'watch event latency p50 / p99 (200 creates)',
        `${ms(pct(lat, 50))} / ${ms(pct(lat, 99))}`,
        `events received: ${lat.length}/200`,
        '',
      ],
    ];
    const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
    console.log(`podbay API benchmark (${new Date().toISOString()}, node ${process.version})\n`);
    for (const r of rows)
      console.log(`${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
