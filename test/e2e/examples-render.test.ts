/**
 * examples/patterns: the seed's four multi-container patterns as manifests (issue 9). Checks that
 * stock kubectl accepts them (`kubectl kustomize`, client and server dry-run against a real podbay
 * server), that every object the issue lists is there in a safe apply order, and the wiring a typo
 * would silently break: images the catalog resolves, probes and Service targets on declared ports,
 * the adapter's annotation on its real port, the log shipper's read-only view of nginx's logs, and
 * every ConfigMap, Secret, key and volume a pod names. The containers run as configured in
 * examples-runs-*.test.ts; as pods on podbay in patterns-on-podbay.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Container } from 'kubernetes-types/core/v1';
import YAML from 'yaml';
import { parseQuantity, quantityMillis, quantityValue } from '../../src/api/quantity.js';
import {
  allContainers,
  catalogReady,
  declaresPort,
  find,
  ISSUE_OBJECTS,
  id,
  kubectlOffline,
  manifestFiles,
  PATTERN_DIRS,
  PATTERNS,
  parseDocs,
  podSources,
  pods,
  ROOT,
  rendered,
  selects,
  specOf,
} from './examples-manifests.js';
import { TestServer } from './harness.js';

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
