/**
 * examples/patterns: the seed's four multi-container patterns as manifests (issue 9). Checks that
 * stock kubectl accepts them (`kubectl kustomize`, client and server dry-run against a real podbay
 * server), that every object the issue lists is there in a safe apply order, and the wiring a typo
 * would silently break: images the catalog resolves, probes and Service targets on declared ports,
 * the adapter's annotation on its real port, the log shipper's read-only view of nginx's logs, and
 * every ConfigMap, Secret, key and volume a pod names. Then each pattern's containers run as the
 * manifests configure them (catalog program, args, env, ConfigMap files) against real nginx, Redis
 * and PostgreSQL on loopback, only host names, ports and mount paths mapped to this machine: the
 * configuration, not podbay's pod runtime, is under test here.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import YAML from 'yaml';
import { parseQuantity, quantityMillis, quantityValue } from '../../src/api/quantity.js';
import { ImageCatalog } from '../../src/runtime/catalog.js';
import { KUBECTL, TestServer } from './harness.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const PATTERNS = join(ROOT, 'examples/patterns');
const PATTERN_DIRS = ['database', 'sidecar', 'ambassador', 'adapter', 'init-containers'] as const;

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** A pod spec found in a Pod or in a Deployment's template, with where it came from. */
interface PodSource {
  readonly owner: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly spec: PodSpec;
}

/** The objects the issue names: `Kind namespace/name` (cluster-scoped kinds have no namespace). */
const ISSUE_OBJECTS = [
  'Namespace database',
  'Namespace development',
  'Secret database/database-credentials',
  'Service database/redis-master',
  'Service database/redis-replica',
  'Service database/redis',
  'Deployment database/redis-master',
  'Deployment database/redis-replica',
  'Deployment database/postgres',
  'Deployment development/web-app-with-logging',
  'ConfigMap development/web-app-config',
  'Pod development/app-with-redis-ambassador',
  'ConfigMap development/app-source-code',
  'ConfigMap development/redis-ambassador-config',
  'Deployment development/legacy-app-with-adapter',
  'Deployment development/web-app-with-init',
  'ConfigMap development/database-migrations',
  'ConfigMap development/application-config',
  'Secret development/database-credentials',
];

/** kubectl for client-side work: no kubeconfig, no cluster, a discovery cache of its own. */
function kubectlOffline(args: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'podbay-examples-kubectl-'));
  try {
    const r = spawnSync(KUBECTL, args, {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        KUBECACHEDIR: join(home, 'cache'),
        KUBECONFIG: join(home, 'none'),
      },
    });
    assert.equal(r.status, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function parseDocs(text: string): KubeObject[] {
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null);
}

/** The object's spec, typed by the caller (the tests assert what they rely on). */
const specOf = <T>(o: KubeObject): T => o.spec as T;

const id = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Every manifest file under examples/patterns (kustomization.yaml files are kustomize's, not objects). */
function manifestFiles(dir = PATTERNS): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return manifestFiles(path);
      return name.endsWith('.yaml') && name !== 'kustomization.yaml' ? [path] : [];
    });
}

function podSources(objects: readonly KubeObject[]): PodSource[] {
  return objects.flatMap((o): PodSource[] => {
    const namespace = o.metadata.namespace ?? 'default';
    if (o.kind === 'Pod') {
      const meta = o.metadata as { labels?: Record<string, string>; annotations?: Record<string, string> };
      return [
        {
          owner: id(o),
          namespace,
          labels: meta.labels ?? {},
          annotations: meta.annotations ?? {},
          spec: specOf<PodSpec>(o),
        },
      ];
    }
    if (o.kind === 'Deployment') {
      const { template: t } = specOf<{
        template: {
          metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
          spec: PodSpec;
        };
      }>(o);
      return [
        {
          owner: id(o),
          namespace,
          labels: t.metadata?.labels ?? {},
          annotations: t.metadata?.annotations ?? {},
          spec: t.spec,
        },
      ];
    }
    return [];
  });
}

const allContainers = (spec: PodSpec): Container[] => [...(spec.initContainers ?? []), ...spec.containers];

const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

/** A probe or Service port names a port the container declares, by number or by name. */
function declaresPort(c: Container, port: number | string): boolean {
  return (c.ports ?? []).some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

const rendered = parseDocs(kubectlOffline(['kustomize', PATTERNS]));
const pods = podSources(rendered);
const find = (kind: string, namespace: string, name: string): KubeObject | undefined =>
  rendered.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name);

/** The repository's image catalog (no user catalog: an empty data dir). */
const catalogReady = (async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'podbay-examples-catalog-'));
  try {
    return await ImageCatalog.load({ dataDir, repoRoot: ROOT });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
})();
// A broken catalog fails the tests that await it, not the whole file as an unhandled rejection.
catalogReady.catch(() => {});

describe('kubectl kustomize examples/patterns', () => {
  test('renders every object the issue lists, each once', () => {
    const ids = rendered.map(id);
    for (const want of ISSUE_OBJECTS)
      assert.ok(ids.includes(want), `${want} missing from the rendered output`);
    assert.deepEqual(
      ids.filter((x, i) => ids.indexOf(x) !== i),
      [],
      'duplicate objects',
    );
  });

  test('namespaces come first, then the database, then the patterns', () => {
    const kinds = rendered.map((o) => o.kind);
    const lastNamespace = kinds.lastIndexOf('Namespace');
    assert.ok(
      kinds.slice(0, lastNamespace + 1).every((k) => k === 'Namespace'),
      kinds.join(','),
    );
    const ns = rendered.map((o) => o.metadata.namespace);
    assert.ok(
      ns.lastIndexOf('database') < ns.indexOf('development'),
      'a development object precedes the database',
    );
  });

  test('each pattern directory renders on its own, and together they make the whole', () => {
    const union = [
      ...rendered.filter((o) => o.kind === 'Namespace'),
      ...PATTERN_DIRS.flatMap((d) => parseDocs(kubectlOffline(['kustomize', join(PATTERNS, d)]))),
    ];
    assert.deepEqual(union.map(id).sort(), rendered.map(id).sort());
  });

  test('the four patterns carry the seed labels, and no two Deployments select the same pods', () => {
    const patterns = pods.filter((p) => p.namespace === 'development').map((p) => p.labels.pattern);
    assert.deepEqual(patterns.sort(), ['adapter', 'ambassador', 'init-container', 'sidecar']);
    const deployments = rendered.filter((o) => o.kind === 'Deployment');
    for (const d of deployments) {
      const selector = specOf<{ selector: { matchLabels: Record<string, string> } }>(d).selector.matchLabels;
      const matched = pods.filter((p) => p.namespace === d.metadata.namespace && selects(selector, p.labels));
      assert.deepEqual(
        matched.map((p) => p.owner),
        [id(d)],
        `${id(d)} selects ${JSON.stringify(selector)}`,
      );
    }
  });

  test('the database: a master, two replicas of it, PostgreSQL, and Services that reach them', () => {
    const replica = podSources([find('Deployment', 'database', 'redis-replica')!])[0]!;
    assert.equal(specOf<{ replicas: number }>(find('Deployment', 'database', 'redis-replica')!).replicas, 2);
    const args = replica.spec.containers[0]!.args ?? [];
    assert.deepEqual(args.slice(args.indexOf('--replicaof')), [
      '--replicaof',
      'redis-master.database.svc.cluster.local',
      '6379',
    ]);
    // Headless, so the ambassador sees one address per replica.
    assert.equal(
      specOf<{ clusterIP?: string }>(find('Service', 'database', 'redis-replica')!).clusterIP,
      'None',
    );
    for (const svc of rendered.filter((o) => o.kind === 'Service')) {
      const spec = specOf<{
        selector: Record<string, string>;
        ports: { port: number; targetPort?: number | string }[];
      }>(svc);
      const backends = pods.filter(
        (p) => p.namespace === svc.metadata.namespace && selects(spec.selector, p.labels),
      );
      assert.ok(backends.length > 0, `${id(svc)} selects no pods`);
      for (const port of spec.ports) {
        const target = port.targetPort ?? port.port;
        for (const b of backends) {
          assert.ok(
            b.spec.containers.some((c) => declaresPort(c, target)),
            `${id(svc)}: ${b.owner} declares no port ${target}`,
          );
        }
      }
    }
    // The init pattern writes through `redis` and must hit the master, not a replica.
    const selectorOf = (name: string) =>
      specOf<{ selector: Record<string, string> }>(find('Service', 'database', name)!).selector;
    assert.deepEqual(selectorOf('redis'), selectorOf('redis-master'));
  });
});

describe('the pods are wired as they claim', () => {
  test('every image resolves in images/catalog.yaml to a program that exists', async () => {
    const catalog = await catalogReady;
    for (const p of pods) {
      for (const c of allContainers(p.spec)) {
        const image = c.image ?? '';
        assert.match(
          image,
          /^(podbay\/[a-z-]+|nginx|redis|postgres|node):/,
          `${p.owner} ${c.name}: ${image}`,
        );
        const script = catalog.resolve(image).entrypoint.find((a) => a.startsWith(ROOT));
        if (script) assert.ok(statSync(script).isFile(), `${image}: ${script} is missing`);
      }
    }
  });

  test('probes name ports their own container declares', () => {
    for (const p of pods) {
      for (const c of allContainers(p.spec)) {
        for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (port !== undefined)
            assert.ok(declaresPort(c, port), `${p.owner} ${c.name}: probe port ${port}`);
        }
      }
    }
  });

  test('the adapter listens on the port its prometheus.io annotations name: 9090', () => {
    const pod = pods.find((p) => p.labels.pattern === 'adapter')!;
    assert.equal(pod.annotations['prometheus.io/scrape'], 'true');
    assert.equal(pod.annotations['prometheus.io/path'], '/metrics');
    const port = Number(pod.annotations['prometheus.io/port']);
    assert.equal(port, 9090);
    const adapter = pod.spec.containers.find((c) => c.name === 'metrics-adapter')!;
    assert.ok(declaresPort(adapter, port));
    const args = adapter.args ?? [];
    assert.equal(args[args.indexOf('--listen') + 1], `:${port}`);
    assert.equal(args[args.indexOf('--source') + 1], 'http://localhost:8888/admin/stats');
    const app = pod.spec.containers.find((c) => c.name === 'legacy-app')!;
    assert.ok(declaresPort(app, 8888), 'the legacy app declares its admin port');
  });

  test("the log shipper reads nginx's log volume read-only and keeps its state elsewhere", () => {
    const pod = pods.find((p) => p.labels.pattern === 'sidecar')!;
    const nginx = pod.spec.containers.find((c) => c.name === 'web-app')!;
    const shipper = pod.spec.containers.find((c) => c.name === 'log-shipper')!;
    const nginxLogs = nginx.volumeMounts!.find((m) => m.mountPath === '/var/log/nginx')!;
    assert.notEqual(nginxLogs.readOnly, true, 'nginx must be able to write its logs');
    const shipperLogs = shipper.volumeMounts!.find((m) => m.name === nginxLogs.name)!;
    assert.equal(shipperLogs.readOnly, true);
    assert.equal(shipperLogs.mountPath, '/var/log/nginx');
    assert.ok(
      pod.spec.volumes!.find((v) => v.name === nginxLogs.name)!.emptyDir,
      'the shared volume is an emptyDir',
    );
    const conf = YAML.parse(
      find('ConfigMap', 'development', 'log-shipper-config')!.data!['log-shipper.yaml']!,
    );
    const fluentConf = shipper.env!.find((e) => e.name === 'FLUENT_CONF')!.value!;
    const configMount = shipper.volumeMounts!.find((m) => m.mountPath === '/etc/log-shipper')!;
    const configVolume = pod.spec.volumes!.find((v) => v.name === configMount.name)!;
    assert.equal(configVolume.configMap?.name, 'log-shipper-config');
    assert.ok(
      find('ConfigMap', 'development', 'log-shipper-config')!.data![fluentConf],
      `FLUENT_CONF=${fluentConf}`,
    );
    for (const input of conf.inputs as { paths: string[] }[]) {
      for (const path of input.paths) assert.ok(path.startsWith('/var/log/nginx/'), path);
    }
    const stateMount = shipper.volumeMounts!.find((m) => m.mountPath === conf.state_dir)!;
    assert.notEqual(stateMount.readOnly, true, 'the state dir must be writable');
  });

  test('every ConfigMap, Secret, key and volume a pod names exists in its namespace', () => {
    const keysOf = (kind: string, ns: string, name: string): string[] => {
      const o = find(kind, ns, name);
      assert.ok(o, `${kind} ${ns}/${name} is referenced but not defined`);
      return [...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})];
    };
    for (const p of pods) {
      const volumes = new Set((p.spec.volumes ?? []).map((v) => v.name));
      for (const v of p.spec.volumes ?? []) {
        if (v.configMap) keysOf('ConfigMap', p.namespace, v.configMap.name!);
        if (v.secret) keysOf('Secret', p.namespace, v.secret.secretName!);
      }
      for (const c of allContainers(p.spec)) {
        for (const m of c.volumeMounts ?? [])
          assert.ok(volumes.has(m.name), `${p.owner} ${c.name}: volume ${m.name}`);
        for (const e of c.env ?? []) {
          const cm = e.valueFrom?.configMapKeyRef;
          const secret = e.valueFrom?.secretKeyRef;
          if (cm)
            assert.ok(
              keysOf('ConfigMap', p.namespace, cm.name!).includes(cm.key),
              `${p.owner}: ${cm.name}.${cm.key}`,
            );
          if (secret) {
            assert.ok(
              keysOf('Secret', p.namespace, secret.name!).includes(secret.key),
              `${p.owner}: ${secret.name}.${secret.key}`,
            );
          }
        }
      }
    }
  });

  test('every container sets requests and limits, and everything fits this 2-core machine', () => {
    const total = { cpu: 0, memory: 0 };
    for (const p of pods) {
      const owner = rendered.find((o) => id(o) === p.owner)!;
      const replicas = owner.kind === 'Deployment' ? (specOf<{ replicas?: number }>(owner).replicas ?? 1) : 1;
      // Millicores and bytes (both exact in a double at these sizes).
      const request = (c: Container, r: 'cpu' | 'memory'): number => {
        const q = c.resources?.requests?.[r];
        assert.ok(q !== undefined && c.resources?.limits?.[r] !== undefined, `${p.owner} ${c.name}: ${r}`);
        return Number(r === 'cpu' ? quantityMillis(parseQuantity(q)) : quantityValue(parseQuantity(q)));
      };
      for (const r of ['cpu', 'memory'] as const) {
        // A pod's request as the scheduler counts it: the larger of its biggest init container and
        // the sum of its containers.
        const main = p.spec.containers.reduce((sum, c) => sum + request(c, r), 0);
        const init = Math.max(0, ...(p.spec.initContainers ?? []).map((c) => request(c, r)));
        total[r] += replicas * Math.max(main, init);
      }
    }
    assert.ok(total.cpu <= 2000, `CPU requests ${total.cpu}m exceed 2 cores`);
    assert.ok(total.memory <= 4 * 1024 ** 3, `memory requests ${total.memory} bytes exceed 4 GiB`);
  });

  test('the migrations follow golang-migrate file names, every up with its down', () => {
    const names = Object.keys(find('ConfigMap', 'development', 'database-migrations')!.data!);
    for (const n of names) assert.match(n, /^([0-9]+)_(.*)\.(down|up)\.(.*)$/);
    const ups = names.filter((n) => n.includes('.up.')).map((n) => n.replace('.up.', '.down.'));
    assert.deepEqual(ups.sort(), names.filter((n) => n.includes('.down.')).sort());
  });

  test('app-source-code holds the current bundle of images/ambassador-app', () => {
    const script = join(PATTERNS, 'ambassador/generate-app-source.mjs');
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
  });
});

describe('kubectl apply --dry-run against a podbay server', () => {
  const srv = new TestServer();
  const files = manifestFiles();
  before(() => srv.start());
  after(() => srv.destroy());

  test('--dry-run=client accepts each file', async () => {
    for (const f of files) {
      const out = await srv.k(['apply', '--dry-run=client', '--validate=false', '-f', f]);
      assert.match(out, /\(dry run\)/, relative(ROOT, f));
    }
  });

  test('--dry-run=server accepts each file once the namespaces exist, and the whole kustomization', async () => {
    await srv.k(['apply', '-f', join(PATTERNS, 'namespaces.yaml')]);
    for (const f of files) {
      const out = await srv.k(['apply', '--dry-run=server', '-f', f]);
      assert.match(out, /\(server dry run\)/, relative(ROOT, f));
    }
    const all = await srv.k(['apply', '--dry-run=server', '-k', PATTERNS]);
    for (const want of ISSUE_OBJECTS.filter((o) => !o.startsWith('Namespace'))) {
      const name = want.split('/')[1]!;
      assert.match(all, new RegExp(`/${name} (created|configured|unchanged) \\(server dry run\\)`), want);
    }
    // Dry runs persist nothing.
    assert.equal(
      (await srv.k(['get', 'deployments,pods,configmaps', '-n', 'development', '-o', 'name'])).includes(
        'web-app',
      ),
      false,
    );
  });
});

/** A free loopback port (closed again before it is returned; the caller binds it right away). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** `text` with each [from, to] replaced; fails when `from` is absent (the test would go stale). */
function rewrite(text: string, pairs: readonly (readonly [string, string])[]): string {
  return pairs.reduce((t, [from, to]) => {
    assert.ok(t.includes(from), `expected ${JSON.stringify(from)} in the config`);
    return t.split(from).join(to);
  }, text);
}

async function stopProcess(p: ChildProcess | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

describe('pattern 1 configuration runs: nginx with web-app-config, the log shipper with its config', () => {
  // The pod's paths moved under a temp dir, port 80 to a free loopback port; nothing else changes.
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-sidecar-'));
  const logs = join(dir, 'logs');
  let nginx: ChildProcess | undefined;
  let shipper: ChildProcess | undefined;
  after(async () => {
    await stopProcess(shipper);
    await stopProcess(nginx);
    rmSync(dir, { recursive: true, force: true });
  });

  test('nginx accepts and serves it, and the shipper prints the request as a parsed record', async () => {
    const port = await freePort();
    for (const d of ['logs', 'conf.d', 'state', 'tmp']) mkdirSync(join(dir, d));
    const conf = find('ConfigMap', 'development', 'web-app-config')!.data!['default.conf']!;
    writeFileSync(
      join(dir, 'conf.d/default.conf'),
      rewrite(conf, [
        ['/var/log/nginx/', `${logs}/`],
        ['listen 80;', `listen 127.0.0.1:${port};`],
      ]),
    );
    // What the nginx image's nginx.conf does around conf.d: include it inside http {}.
    const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
      (t) => `${t}_temp_path ${dir}/tmp/${t};`,
    );
    writeFileSync(
      join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nevents {}\nhttp {\n  default_type application/octet-stream;\n  ${temps.join('\n  ')}\n  include ${dir}/conf.d/*.conf;\n}\n`,
    );
    const base = ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'main-error.log')];
    // nginx's stdout is a file here (as it is a pipe in a container): `access_log /dev/stdout` cannot
    // open a socket, which is what Node's stdio pipes are.
    const stdoutPath = join(dir, 'nginx.stdout');
    const stdoutFd = openSync(stdoutPath, 'a');
    try {
      const check = spawnSync('nginx', ['-t', ...base], {
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', stdoutFd, 'pipe'],
      });
      assert.equal(check.status, 0, check.stderr);
      nginx = spawn('nginx', [...base, '-g', 'daemon off;'], { stdio: ['ignore', stdoutFd, 'ignore'] });
    } finally {
      closeSync(stdoutFd);
    }

    const url = `http://127.0.0.1:${port}`;
    let health: Response | undefined;
    for (let i = 0; i < 100 && !health; i++) {
      health = await fetch(`${url}/health`).catch(() => undefined);
      if (!health) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(health, 'nginx did not answer');
    assert.equal(health.status, 200);
    assert.equal(await health.text(), 'healthy\n');
    assert.equal(health.headers.get('content-type'), 'text/plain', 'one Content-Type, text/plain');
    const ready = await fetch(`${url}/ready`);
    assert.deepEqual([ready.status, await ready.text()], [200, 'ready\n']);
    const agent = `examples-test/${process.pid}`;
    assert.equal((await fetch(`${url}/`, { headers: { 'user-agent': agent } })).status, 200);
    // `kubectl logs -c web-app` shows the request too (nginx logs it once the response is sent).
    const logged = new RegExp(`"GET / HTTP/1.1" 200 \\d+ "-" "${agent}"`);
    for (let i = 0; i < 100 && !logged.test(readFileSync(stdoutPath, 'utf8')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(readFileSync(stdoutPath, 'utf8'), logged);

    const shipperConf = YAML.parse(
      find('ConfigMap', 'development', 'log-shipper-config')!.data!['log-shipper.yaml']!,
    );
    const rewritten = YAML.parse(
      rewrite(JSON.stringify(shipperConf), [
        ['/var/log/nginx/', `${logs}/`],
        ['/var/lib/log-shipper', join(dir, 'state')],
        ['0.0.0.0:2020', '127.0.0.1:0'],
      ]),
    );
    writeFileSync(join(dir, 'log-shipper.yaml'), YAML.stringify(rewritten));
    shipper = spawn(
      process.execPath,
      [join(ROOT, 'images/log-shipper/bin/log-shipper.js'), '--config', join(dir, 'log-shipper.yaml')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    shipper.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
    });
    shipper.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const deadline = Date.now() + 15_000;
    while (!out.includes(agent) && Date.now() < deadline && shipper.exitCode === null) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const line = out.split('\n').find((l) => l.includes(agent));
    assert.ok(line, `no record of the request on the shipper's stdout:\n${out}\n${err}`);
    const record = JSON.parse(line) as Record<string, unknown>;
    assert.deepEqual(
      [record.method, record.path, record.status, record.user_agent],
      ['GET', '/', 200, agent],
    );
  });
});

/** A program started from a manifest's container, with its output kept for assertions. */
interface Running {
  readonly proc: ChildProcess;
  output(): string;
}

/**
 * Starts a container's process the way podbay does: Kubernetes' command/args over the catalog's
 * entrypoint/cmd, the manifest's plain env values plus `env` (which the test uses for what a pod
 * would get from Secrets, DNS or its own ports), in `cwd`. `$(VAR)` in args is expanded from that env.
 */
async function startContainer(
  c: Container,
  env: Record<string, string>,
  opts: { cwd?: string; rewriteArg?: (arg: string) => string } = {},
): Promise<Running> {
  const image = (await catalogReady).resolve(c.image!);
  const vars: Record<string, string> = {};
  for (const e of c.env ?? []) if (e.value !== undefined) vars[e.name] = e.value;
  Object.assign(vars, env);
  const mapArg = opts.rewriteArg ?? ((a: string) => a);
  const args = (c.args ?? (c.command ? [] : image.cmd)).map((a) =>
    mapArg(a.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => vars[name] ?? m)),
  );
  const [file, ...rest] = [...(c.command ?? image.entrypoint), ...args];
  const proc = spawn(file!, rest, {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH, ...vars },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { proc, output: () => out };
}

/** Polls `cond` every 50 ms, at most `timeoutMs`; fails naming `what` (and `detail()`) otherwise. */
async function until(
  what: string,
  cond: () => Promise<boolean> | boolean,
  timeoutMs = 15_000,
  detail = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}\n${detail()}`);
}

const redisCli = (port: number, ...args: string[]): string =>
  spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 5_000 }).stdout;

/** `calls` of one command in INFO commandstats (0 when never called). */
const commandCalls = (port: number, command: string): number =>
  Number(
    new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(redisCli(port, 'info', 'commandstats'))?.[1] ?? 0,
  );

function containerOf(owner: string, name: string): Container {
  const pod = pods.find((p) => p.owner === owner)!;
  return allContainers(pod.spec).find((c) => c.name === name)!;
}

describe('pattern 2 runs: app.js from app-source-code through the ambassador as configured', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-ambassador-'));
  const procs: ChildProcess[] = [];
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    rmSync(dir, { recursive: true, force: true });
  });

  test('writes land on the master, reads on the replicas', async () => {
    const [master, replica1, replica2, ambassadorPort, metricsPort, appPort] = await Promise.all(
      Array.from({ length: 6 }, freePort),
    );
    for (const [port, extra] of [
      [master!, []],
      [replica1!, ['--replicaof', '127.0.0.1', String(master)]],
      [replica2!, ['--replicaof', '127.0.0.1', String(master)]],
    ] as const) {
      mkdirSync(join(dir, String(port)));
      const args = [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--dir',
        join(dir, String(port)),
        ...extra,
      ];
      procs.push(spawn('redis-server', args, { stdio: 'ignore' }));
    }
    for (const r of [replica1!, replica2!]) {
      await until(`replica ${r} linked`, () =>
        redisCli(r, 'info', 'replication').includes('master_link_status:up'),
      );
    }
    const owner = 'Pod development/app-with-redis-ambassador';
    const config = find('ConfigMap', 'development', 'redis-ambassador-config')!.data![
      'redis-ambassador.yaml'
    ]!;
    writeFileSync(join(dir, 'redis-ambassador.yaml'), config);
    // The pod's env, except what DNS and the pod's own ports would give.
    const ambassador = await startContainer(containerOf(owner, 'redis-ambassador'), {
      AMBASSADOR_CONFIG: join(dir, 'redis-ambassador.yaml'),
      REDIS_MASTER_HOST: `127.0.0.1:${master}`,
      REDIS_REPLICA_HOST: `127.0.0.1:${replica1},127.0.0.1:${replica2}`,
      AMBASSADOR_LISTEN: `127.0.0.1:${ambassadorPort}`,
      AMBASSADOR_METRICS_LISTEN: `127.0.0.1:${metricsPort}`,
    });
    procs.push(ambassador.proc);
    await until(
      'the ambassador to be ready (/healthz, its readiness probe)',
      async () =>
        (await fetch(`http://127.0.0.1:${metricsPort}/healthz`).catch(() => undefined))?.status === 200,
      15_000,
      ambassador.output,
    );
    writeFileSync(join(dir, 'app.js'), find('ConfigMap', 'development', 'app-source-code')!.data!['app.js']!);
    const app = await startContainer(
      containerOf(owner, 'web-app'),
      { REDIS_PORT: String(ambassadorPort), PORT: String(appPort) },
      { cwd: dir },
    );
    procs.push(app.proc);
    const url = `http://127.0.0.1:${appPort}/items/greeting`;
    // Ready when its Redis (the ambassador) answers PING: the app does not queue commands meanwhile.
    const health = `http://127.0.0.1:${appPort}/health`;
    await until(
      'the app to reach Redis',
      async () => (await fetch(health).catch(() => undefined))?.status === 200,
      15_000,
      () => `${app.output()}\n${ambassador.output()}`,
    );
    const put = await fetch(url, { method: 'POST', body: 'hello' });
    assert.equal(put.status, 201, await put.text());
    assert.equal(commandCalls(master!, 'set'), 1, 'the write reached the master');
    // Reads follow the client's own write until the replicas caught up, then go to a replica.
    await until('a read served by a replica', async () => {
      const got = await fetch(url);
      assert.deepEqual(await got.json(), { id: 'greeting', value: 'hello' });
      return commandCalls(replica1!, 'get') + commandCalls(replica2!, 'get') > 0;
    });
    for (const r of [replica1!, replica2!]) {
      assert.doesNotMatch(redisCli(r, 'info', 'commandstats'), /cmdstat_set:.*rejected_calls=[1-9]/);
    }
  });
});

/** Waits for a container that runs to completion (an init container); returns its exit code. */
async function completion(r: Running, timeoutMs = 60_000): Promise<number | null> {
  if (r.proc.exitCode !== null) return r.proc.exitCode;
  const t = setTimeout(() => r.proc.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((res) => r.proc.once('exit', (c) => res(c)));
  clearTimeout(t);
  return code;
}

describe('pattern 3 runs: the legacy app and the adapter as configured', () => {
  const procs: ChildProcess[] = [];
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
  });

  test("/metrics on the annotated port carries the app's real request counts, and promtool is clean", async () => {
    const owner = 'Deployment development/legacy-app-with-adapter';
    const pod = pods.find((p) => p.owner === owner)!;
    const [appPort, adminPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const app = await startContainer(containerOf(owner, 'legacy-app'), {
      PORT: String(appPort),
      ADMIN_PORT: String(adminPort),
      HOST: '127.0.0.1',
    });
    procs.push(app.proc);
    const adapter = await startContainer(
      containerOf(owner, 'metrics-adapter'),
      {},
      {
        rewriteArg: (a) =>
          a
            .replace('http://localhost:8888/', `http://127.0.0.1:${adminPort}/`)
            .replace(/^:9090$/, `127.0.0.1:${metricsPort}`),
      },
    );
    procs.push(adapter.proc);
    const appUrl = `http://127.0.0.1:${appPort}`;
    // Wait on the stats port: reads of the stats are not traffic, so the counts below stay exact.
    const stats = `http://127.0.0.1:${adminPort}/admin/stats`;
    await until(
      'the legacy app',
      async () => (await fetch(stats).catch(() => undefined))?.ok === true,
      15_000,
      app.output,
    );
    for (const path of ['/', '/', '/health', '/fail']) await (await fetch(`${appUrl}${path}`)).text();
    const metricsUrl = `http://127.0.0.1:${metricsPort}${pod.annotations['prometheus.io/path']}`;
    let body = '';
    await until(
      'the adapter to serve the legacy samples',
      async () => {
        body = await fetch(metricsUrl)
          .then((r) => r.text())
          .catch(() => '');
        return /^legacy_requests_total 4$/m.test(body);
      },
      15_000,
      () => `${adapter.output()}\n${body}`,
    );
    assert.match(body, /^legacy_errors_total 1$/m);
    assert.match(body, /^legacy_up 1$/m);
    const promtool = spawnSync('promtool', ['check', 'metrics'], {
      input: body,
      encoding: 'utf8',
      timeout: 10_000,
    });
    assert.equal(promtool.status, 0, `${promtool.stdout}${promtool.stderr}`);
  });
});

describe('pattern 4 runs: migrations and cache warm-up gate the web app', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-examples-init-'));
  const pgDirs: string[] = [];
  const procs: ChildProcess[] = [];
  after(async () => {
    for (const p of procs.reverse()) await stopProcess(p);
    for (const d of [dir, ...pgDirs]) rmSync(d, { recursive: true, force: true });
  });

  /** PostgreSQL 15 with the Secret's user, password and database, as the postgres image makes it. */
  async function startPostgres(port: number): Promise<void> {
    const creds = find('Secret', 'database', 'database-credentials')!.stringData!;
    const asPostgres =
      process.getuid?.() === 0
        ? {
            uid: Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout),
            gid: Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout),
          }
        : {};
    // Its own directory: PostgreSQL refuses root, and the postgres user cannot enter the test's.
    const pgDir = mkdtempSync(join(tmpdir(), 'podbay-examples-pg-'));
    pgDirs.push(pgDir);
    writeFileSync(join(pgDir, 'pw'), `${creds.password}\n`);
    if (asPostgres.uid !== undefined)
      spawnSync('chown', ['-R', `${asPostgres.uid}:${asPostgres.gid}`, pgDir]);
    const bin = '/usr/lib/postgresql/15/bin';
    const init = spawnSync(
      join(bin, 'initdb'),
      [
        '-D',
        join(pgDir, 'data'),
        '-U',
        creds.username!,
        `--pwfile=${join(pgDir, 'pw')}`,
        '--auth=scram-sha-256',
        '-N',
      ],
      { ...asPostgres, encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(init.status, 0, init.stderr);
    const args = [
      '-D',
      join(pgDir, 'data'),
      '-p',
      String(port),
      '-k',
      pgDir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
    ];
    procs.push(spawn(join(bin, 'postgres'), args, { ...asPostgres, stdio: 'ignore' }));
    const env = { ...process.env, PGPASSWORD: creds.password };
    const psql = ['-h', '127.0.0.1', '-p', String(port), '-U', creds.username!, '-d', 'postgres', '-c'];
    await until(
      'PostgreSQL',
      () => spawnSync(join(bin, 'psql'), [...psql, 'SELECT 1'], { env, timeout: 5_000 }).status === 0,
    );
    const create = spawnSync(join(bin, 'psql'), [...psql, `CREATE DATABASE "${creds.database}"`], {
      env,
      encoding: 'utf8',
    });
    assert.equal(create.status, 0, create.stderr);
  }

  test('the web app is unready until db-migration and cache-warmer ran, then serves their data', async () => {
    const owner = 'Deployment development/web-app-with-init';
    const [pgPort, redisPort, appPort] = await Promise.all([freePort(), freePort(), freePort()]);
    await startPostgres(pgPort);
    procs.push(
      spawn(
        'redis-server',
        ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
        { stdio: 'ignore' },
      ),
    );
    await until('Redis', () => redisCli(redisPort, 'ping').trim() === 'PONG');
    for (const [cm, sub] of [
      ['database-migrations', 'migrations'],
      ['application-config', 'config'],
    ] as const) {
      mkdirSync(join(dir, sub));
      for (const [k, v] of Object.entries(find('ConfigMap', 'development', cm)!.data!))
        writeFileSync(join(dir, sub, k), v);
    }
    // What the Secret, DNS and the volume mounts give the pod, on this machine.
    const secretUrl = find('Secret', 'development', 'database-credentials')!.stringData![
      'connection-string'
    ]!;
    const databaseUrl = rewrite(secretUrl, [
      ['postgres.database.svc.cluster.local:5432', `127.0.0.1:${pgPort}`],
    ]);
    const env = { DATABASE_URL: databaseUrl, REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redisPort) };
    const mounts = (a: string) => a.replace(/^\/(migrations|config)\b/, `${dir}/$1`);

    const web = containerOf(owner, 'web-app');
    const webApp = await startContainer(web, { ...env, PORT: String(appPort), HOST: '127.0.0.1' });
    procs.push(webApp.proc);
    const base = `http://127.0.0.1:${appPort}`;
    const status = async (path: string) => (await fetch(`${base}${path}`).catch(() => undefined))?.status;
    await until(
      'the web app to be live',
      async () => (await status(web.livenessProbe!.httpGet!.path!)) === 200,
      15_000,
      webApp.output,
    );
    assert.equal(
      await status(web.readinessProbe!.httpGet!.path!),
      503,
      'ready before the init containers ran',
    );

    for (const name of ['db-migration', 'cache-warmer']) {
      const init = await startContainer(containerOf(owner, name), env, { rewriteArg: mounts });
      assert.equal(await completion(init), 0, `${name} failed:\n${init.output()}`);
    }
    await until(
      'the web app to be ready',
      async () => (await status(web.readinessProbe!.httpGet!.path!)) === 200,
      15_000,
      webApp.output,
    );
    const users = (await (await fetch(`${base}/users`)).json()) as { items: { username: string }[] };
    assert.deepEqual(
      users.items.map((u) => u.username),
      ['alice', 'bob'],
    );
    const config = (await (await fetch(`${base}/config`)).json()) as {
      initialized: boolean;
      config: { name: string };
      ttlSeconds: number;
    };
    assert.equal(config.initialized, true);
    assert.equal(config.config.name, 'web-app');
    assert.ok(config.ttlSeconds > 3500 && config.ttlSeconds <= 3600, `ttl ${config.ttlSeconds}`);
  });
});
