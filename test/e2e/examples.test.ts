/**
 * examples/patterns: the seed's four multi-container patterns as manifests (issue 9). Checks that
 * stock kubectl accepts them (`kubectl kustomize`, client and server dry-run against a real podbay
 * server), that every object the issue lists is there in a safe apply order, and the wiring a typo
 * would silently break: images the catalog resolves, probes and Service targets on declared ports,
 * the adapter's annotation on its real port, the log shipper's read-only view of nginx's logs, and
 * every ConfigMap, Secret, key and volume a pod names.
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
    const dataDir = mkdtempSync(join(tmpdir(), 'podbay-examples-catalog-'));
    try {
      const catalog = await ImageCatalog.load({ dataDir, repoRoot: ROOT });
      for (const p of pods) {
        for (const c of allContainers(p.spec)) {
          const image = c.image ?? '';
          assert.match(
            image,
            /^(podbay\/[a-z-]+|nginx|redis|postgres|node):/,
            `${p.owner} ${c.name}: ${image}`,
          );
          const resolved = catalog.resolve(image);
          const script = resolved.entrypoint.find((a) => a.startsWith(ROOT));
          if (script) assert.ok(statSync(script).isFile(), `${image}: ${script} is missing`);
        }
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
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
