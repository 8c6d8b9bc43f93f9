/**
 * Pod startup benchmark (issue 3, "Must show" → bench/), one run, podbay beside the floor:
 *   - pod created → all containers started (the Kubernetes pod startup SLO's definition, observed
 *     via watch) for a 3-container pod, p50/p99 over 100 pods created one after another,
 *   - the same with 100 pods created at once (p50/p99 and wall time until the last one started),
 *   - idle overhead per pod beyond its containers' own memory: PSS (/proc/PID/smaps_rollup) of each
 *     pod's holder + shims, beside the PSS of the containers' own processes.
 * The floor: the same three commands started directly with `unshare` (net+uts+ipc+pid+mnt, one
 * unshare per container, `--fork --kill-child`), "started" = its child has exec'd the command.
 * creationTimestamp has one-second resolution, so the clock starts when the client sends the POST
 * (before the server stamps the pod: a slightly larger, conservative figure).
 * Needs root; not part of the test suite. Cleans up: deletes the pods, stops the server (SIGTERM,
 * --cleanup-on-exit), then checks links, mounts, cgroups and processes.
 *
 *   npx tsc -p tsconfig.json && sudo node dist/bench/pod-startup.js
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/podbay.js');
const SHIM = join(ROOT, 'dist/bin/podbay-shim');
/** Pods per phase: `--pods N` (default 100, the count). */
const N = Number(process.argv[process.argv.indexOf('--pods') + 1] ?? 100) || 100;

const CONTAINERS = ['a', 'b', 'c'];
const CMD = ['sleep', '3600'];
const NS = 'pbench';
const PREFIX = `pbench-${process.pid}`;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Running {
  proc: ChildProcess;
  url: string;
  token: string;
  ca: Buffer;
}

async function startServer(dataDir: string): Promise<Running> {
  const log = openSync(join(dataDir, '..', `${PREFIX}-server.log`), 'w');
  const proc = spawn(
    process.execPath,
    [
      ...(process.env.POD_BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      BIN,
      'server',
      '--run-pods',
      '--cleanup-on-exit',
      '--data-dir',
      dataDir,
      '--listen',
      '127.0.0.1:0',
    ],
    { stdio: ['ignore', log, log] },
  );
  const kc = join(dataDir, 'kubeconfig');
  const t0 = performance.now();
  while (!existsSync(kc)) {
    if (performance.now() - t0 > 30_000 || proc.exitCode !== null) throw new Error('server did not start');
    await sleep(10);
  }
  const cfg = YAML.parse(readFileSync(kc, 'utf8'));
  const srv: Running = {
    proc,
    url: cfg.clusters[0].cluster.server,
    token: cfg.users[0].user.token,
    ca: Buffer.from(cfg.clusters[0].cluster['certificate-authority-data'], 'base64'),
  };
  for (let i = 0; i < 3000; i++) {
    try {
      if ((await call(srv, new Agent({ keepAlive: false }), 'GET', '/readyz')).status === 200) return srv;
    } catch {
      /* not yet */
    }
    await sleep(10);
  }
  throw new Error('server not ready');
}

function call(srv: Running, agent: Agent, method: string, path: string, body?: string) {
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

const podJSON = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 0,
      containers: CONTAINERS.map((c) => ({ name: c, image: 'busybox:1.36', command: CMD })),
    },
  });

interface PodStatusLike {
  metadata: { name: string };
  status?: { containerStatuses?: { started?: boolean; state?: { running?: unknown } }[] };
}

/** One watch on the namespace's pods, from a list's resourceVersion; resolves waiters per pod. */
class PodWatch {
  readonly started = new Map<string, number>();
  readonly deleted = new Set<string>();
  #waiters = new Map<string, () => void>();
  #req: ReturnType<typeof request> | undefined;

  async open(srv: Running, agent: Agent): Promise<void> {
    const list = await call(srv, agent, 'GET', `/api/v1/namespaces/${NS}/pods`);
    const rv = JSON.parse(list.body).metadata.resourceVersion;
    const req = request(new URL(`/api/v1/namespaces/${NS}/pods?watch=true&resourceVersion=${rv}`, srv.url), {
      ca: srv.ca,
      headers: { Authorization: `Bearer ${srv.token}` },
    });
    this.#req = req;
    await new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d;
          for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
            const ev = JSON.parse(buf.slice(0, nl)) as { type: string; object: PodStatusLike };
            buf = buf.slice(nl + 1);
            this.#onEvent(ev.type, ev.object);
          }
        });
        resolve();
      });
      req.end();
    });
  }

  #onEvent(type: string, pod: PodStatusLike): void {
    const name = pod.metadata.name;
    if (type === 'DELETED') {
      this.deleted.add(name);
      this.#waiters.get(`del:${name}`)?.();
      return;
    }
    const cs = pod.status?.containerStatuses ?? [];
    if (this.started.has(name) || cs.length !== CONTAINERS.length) return;
    if (cs.every((c) => c.started === true || c.state?.running !== undefined)) {
      this.started.set(name, performance.now());
      this.#waiters.get(`up:${name}`)?.();
    }
  }

  wait(kind: 'up' | 'del', name: string, timeoutMs = 120_000): Promise<void> {
    if (kind === 'up' ? this.started.has(name) : this.deleted.has(name)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${kind} ${name}`)), timeoutMs);
      this.#waiters.set(`${kind}:${name}`, () => {
        clearTimeout(t);
        this.#waiters.delete(`${kind}:${name}`);
        resolve();
      });
    });
  }

  close(): void {
    this.#req?.destroy();
  }
}

// ---- process accounting ----

interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(d), ppid, argv });
    } catch {
      /* gone */
    }
  }
  return out;
}

const pssKiB = (pid: number) => {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};

function descendants(all: Proc[], roots: Set<number>): Proc[] {
  const kids = new Map<number, Proc[]>();
  for (const p of all) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const out: Proc[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    for (const k of kids.get(stack.pop()!) ?? []) {
      out.push(k);
      stack.push(k.pid);
    }
  }
  return out;
}

/** podbay: holders (`podbay-shim pause --hostname <our pod>`) and shims (`run <dataDir>/…`). */
function podbayMemory(dataDir: string) {
  const all = processes();
  const isShim = (p: Proc) => p.argv[0] === SHIM;
  const holders = all.filter(
    (p) =>
      isShim(p) &&
      p.argv[1] === 'pause' &&
      (p.argv[p.argv.indexOf('--hostname') + 1] ?? '').startsWith(PREFIX),
  );
  const shims = all.filter((p) => isShim(p) && p.argv[1] === 'run' && (p.argv[2] ?? '').startsWith(dataDir));
  const roots = new Set([...holders, ...shims].map((p) => p.pid));
  const below = descendants(all, roots);
  const overhead = [...holders, ...shims, ...below.filter(isShim)];
  const containers = below.filter((p) => !isShim(p));
  return {
    holders: holders.length,
    shims: shims.length + below.filter(isShim).length,
    containerProcs: containers.length,
    overheadKiB: overhead.reduce((s, p) => s + pssKiB(p.pid), 0),
    containerKiB: containers.reduce((s, p) => s + pssKiB(p.pid), 0),
  };
}

// ---- the floor: the same commands under unshare ----

interface FloorPod {
  wrappers: ChildProcess[];
}

function childOf(pid: number): number | undefined {
  try {
    const c = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return c ? Number(c.split(' ')[0]) : undefined;
  } catch {
    return undefined;
  }
}

async function floorStart(): Promise<{ pod: FloorPod; ms: number }> {
  const t0 = performance.now();
  const wrappers = CONTAINERS.map(() =>
    spawn('unshare', ['--net', '--uts', '--ipc', '--pid', '--mount', '--fork', '--kill-child', ...CMD], {
      stdio: 'ignore',
    }),
  );
  for (const w of wrappers) {
    for (;;) {
      const c = w.pid === undefined ? undefined : childOf(w.pid);
      let comm = '';
      try {
        if (c !== undefined) comm = readFileSync(`/proc/${c}/comm`, 'utf8').trim();
      } catch {
        /* racing */
      }
      if (comm === CMD[0]) break;
      if (performance.now() - t0 > 30_000) throw new Error('floor pod did not start');
      await sleep(1);
    }
  }
  return { pod: { wrappers }, ms: performance.now() - t0 };
}

function floorMemory(pods: FloorPod[]) {
  let overheadKiB = 0;
  let containerKiB = 0;
  for (const p of pods) {
    for (const w of p.wrappers) {
      overheadKiB += pssKiB(w.pid!);
      const c = childOf(w.pid!);
      if (c !== undefined) containerKiB += pssKiB(c);
    }
  }
  return { overheadKiB, containerKiB };
}

async function floorStop(pods: FloorPod[]): Promise<void> {
  const exits: Promise<unknown>[] = [];
  for (const p of pods) {
    for (const w of p.wrappers) {
      if (w.exitCode !== null || w.signalCode !== null) continue;
      exits.push(new Promise((r) => w.once('exit', r)));
      const c = childOf(w.pid!);
      if (c !== undefined) process.kill(c, 'SIGKILL');
      w.kill('SIGKILL');
    }
  }
  await Promise.all(exits);
}

// ---- leftovers ----

function leftovers(dataDir: string): string[] {
  const found: string[] = [];
  const links = execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' });
  for (const m of links.matchAll(/: (pbv[0-9a-f]+|podbay0)[:@]/g)) found.push(`link ${m[1]}`);
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    if (line.includes(dataDir)) found.push(`mount ${line.split(' ')[1]}`);
  }
  for (const h of readdirSync('/sys/fs/cgroup')) {
    if (existsSync(join('/sys/fs/cgroup', h, 'podbay'))) found.push(`cgroup ${h}/podbay`);
  }
  for (const p of processes()) {
    if (p.argv.some((a) => a.includes(dataDir) || a.startsWith(PREFIX)))
      found.push(`process ${p.pid} ${p.argv.join(' ')}`);
  }
  return found;
}

const kib = (k: number) => `${(k / 1024).toFixed(2)} MiB`;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root');
  const base = mkdtempSync(join(tmpdir(), 'podbay-bench-startup-'));
  const dataDir = join(base, 'data');
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let srv: Running | undefined;
  const floorPods: FloorPod[] = [];
  const rows: [string, string, string, string][] = [];
  try {
    // ---- floor first (no server running) ----
    const floorSeq: number[] = [];
    for (let i = 0; i < N; i++) {
      const r = await floorStart();
      floorSeq.push(r.ms);
      floorPods.push(r.pod);
    }
    await sleep(2000);
    const fMem = floorMemory(floorPods);
    await floorStop(floorPods.splice(0));
    const fb0 = performance.now();
    const burst = await Promise.all(Array.from({ length: N }, () => floorStart()));
    const floorBurstWall = performance.now() - fb0;
    floorPods.push(...burst.map((b) => b.pod));
    const floorBurst = burst.map((b) => b.ms);
    await floorStop(floorPods.splice(0));

    // ---- podbay ----
    srv = await startServer(dataDir);
    const s = srv;
    await call(s, agent, 'POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: NS } }));
    const watch = new PodWatch();
    await watch.open(s, agent);
    const create = async (name: string) => {
      const t0 = performance.now();
      const r = await call(s, agent, 'POST', `/api/v1/namespaces/${NS}/pods`, podJSON(name));
      if (r.status !== 201) throw new Error(`create ${name}: ${r.status} ${r.body}`);
      await watch.wait('up', name);
      return watch.started.get(name)! - t0;
    };
    const deleteAll = async (names: string[]) => {
      await Promise.all(
        names.map(async (n) => {
          const r = await call(s, agent, 'DELETE', `/api/v1/namespaces/${NS}/pods/${n}?gracePeriodSeconds=0`);
          if (r.status !== 200 && r.status !== 202) throw new Error(`delete ${n}: ${r.status} ${r.body}`);
        }),
      );
      await Promise.all(names.map((n) => watch.wait('del', n)));
    };

    const seqNames = Array.from({ length: N }, (_, i) => `${PREFIX}-s${i}`);
    const seq: number[] = [];
    for (const n of seqNames) seq.push(await create(n));
    await sleep(2000);
    const pMem = podbayMemory(dataDir);
    const serverPss = pssKiB(s.proc.pid!);
    await deleteAll(seqNames);

    const burstNames = Array.from({ length: N }, (_, i) => `${PREFIX}-b${i}`);
    const b0 = performance.now();
    const pBurst = await Promise.all(burstNames.map((n) => create(n)));
    const burstWall = performance.now() - b0;
    await deleteAll(burstNames);
    watch.close();

    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}× floor`;
    rows.push(
      ['3-container pod, created → all started', 'podbay', 'floor (unshare)', 'podbay vs floor'],
      [
        `one at a time, p50 (${N} pods)`,
        ms(pct(seq, 50)),
        ms(pct(floorSeq, 50)),
        ratio(pct(seq, 50), pct(floorSeq, 50)),
      ],
      [
        `one at a time, p99 (${N} pods)`,
        ms(pct(seq, 99)),
        ms(pct(floorSeq, 99)),
        `${ratio(pct(seq, 99), pct(floorSeq, 99))}; goal < 1 s: ${pct(seq, 99) < 1000 ? 'met' : 'MISSED'}`,
      ],
      [
        `${N} at once, p50`,
        ms(pct(pBurst, 50)),
        ms(pct(floorBurst, 50)),
        ratio(pct(pBurst, 50), pct(floorBurst, 50)),
      ],
      [
        `${N} at once, p99`,
        ms(pct(pBurst, 99)),
        ms(pct(floorBurst, 99)),
        ratio(pct(pBurst, 99), pct(floorBurst, 99)),
      ],
      [
        `${N} at once, wall to the last start`,
        ms(burstWall),
        ms(floorBurstWall),
        ratio(burstWall, floorBurstWall),
      ],
      [
        `idle overhead per pod (PSS, ${N} pods)`,
        `${kib(pMem.overheadKiB / N)} (${pMem.holders} holders, ${pMem.shims} shims)`,
        `${kib(fMem.overheadKiB / N)} (${N * CONTAINERS.length} unshare parents)`,
        `goal < 2 MB: ${pMem.overheadKiB / N < 2000 ? 'met' : 'MISSED'}`,
      ],
      [
        "containers' own memory per pod (PSS)",
        `${kib(pMem.containerKiB / N)} (${pMem.containerProcs} processes)`,
        kib(fMem.containerKiB / N),
        '',
      ],
      [`server PSS holding ${N} running pods`, kib(serverPss), '', 'not per-pod; for reference'],
      ['reference', 'k8s SLO p99 ≤ 5 s', 'kind/k3d 33–47 s to a first app', ''],
    );
  } finally {
    agent.destroy();
    await floorStop(floorPods).catch(() => {});
    if (srv && srv.proc.exitCode === null) {
      const p = srv.proc;
      await new Promise((r) => {
        p.once('exit', r);
        p.kill('SIGTERM');
      });
    }
    const left = leftovers(dataDir);
    console.log(`leftovers after shutdown: ${left.length === 0 ? 'none' : left.join('; ')}`);
    rmSync(base, { recursive: true, force: true });
    if (rows.length > 0) rmSync(join(base, '..', `${PREFIX}-server.log`), { force: true });
  }
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`podbay pod startup benchmark (${new Date().toISOString()}, node ${process.version})\n`);
  for (const r of rows)
    console.log(`${r[0].padEnd(w[0]!)}  ${r[1].padEnd(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
