/**
 * Services and cluster DNS end to end (root, issue 4's "Must show"): a real `podbay server`
 * running pods (testing/pod-server.ts), driven by the stock kubectl, with every check made from
 * inside a pod (busybox nslookup/wget, redis-cli, curl) or, for NodePort and timings, from this
 * host. Outside names are forwarded to a resolver this test runs on 127.0.0.77:53 (named by a
 * resolv.conf in a temp dir via PODBAY_RESOLV_CONF): nothing leaves the machine.
 *
 * podbay's images share this machine's root file system, so busybox, redis-cli and curl exist
 * in every pod; each check names the tool it means.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as packet from 'dns-packet';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import { waitFor } from '../../test/e2e/harness.js';
import { PodServer, SERVER_ARGS } from '../kubelet/testing/pod-server.js';
import { startFakeUpstream } from './testing/dns-wire.js';
import { fetchOnce, msUntilNotServed } from './testing/http-probe.js';
import { SELECTORLESS, selectorlessManifests } from './testing/selectorless.js';

const ps = new PodServer();
const server = ps.server;
const UPSTREAM = { host: '127.0.0.77', port: 53 };
const OUTSIDE = { name: 'outside.example', ip: '192.0.2.77' };
const WEB = ['web-0', 'web-1', 'web-2'];
const ROUTE_LOCALNET = '/proc/sys/net/ipv4/conf/all/route_localnet';

const HOST_PORT = 18_080;

/** web-0 also has a hostPort (one pod only: two on one node could not both bind it). */
const webPod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: web, pod: ${name}}}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: www, emptyDir: {}}]
  containers:
  - name: httpd
    image: busybox
    command: [sh, -c, 'hostname > /www/index.html && touch /www/healthy && exec busybox httpd -f -p 8080 -h /www']
    ports: [{name: http, containerPort: 8080${name === 'web-0' ? `, hostPort: ${HOST_PORT}` : ''}}]
    volumeMounts: [{name: www, mountPath: /www}]
    readinessProbe:
      exec: {command: [test, -e, /www/healthy]}
      periodSeconds: 1
      failureThreshold: 1
---
`;

const MANIFESTS = `${WEB.map(webPod).join('')}apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: self}
spec:
  selector: {pod: web-0}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: redis, labels: {app: redis}}
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
metadata: {name: redis}
spec:
  selector: {app: redis}
  ports: [{port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: ca, configMap: {name: kube-root-ca.crt}}]
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
    volumeMounts: [{name: ca, mountPath: /ca}]
---
apiVersion: v1
kind: Pod
metadata: {name: host-dns}
spec:
  terminationGracePeriodSeconds: 0
  dnsPolicy: Default
  containers:
  - name: c
    image: busybox
    command: [sleep, '3600']
`;

const sh = (pod: string, script: string) => server.k(['exec', pod, '--', 'sh', '-c', script]);
const getJson = async <T>(kind: string, name: string, ns = 'default') =>
  JSON.parse(await server.k(['get', kind, name, '-n', ns, '-o', 'json'])) as T;

describe('Services and cluster DNS from inside pods (kubectl, root)', { timeout: 170_000 }, () => {
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
  let confDir: string;
  let routeLocalnetBefore: string;
  let webIP: string;
  const podIP = new Map<string, string>();

  before(async () => {
    routeLocalnetBefore = readFileSync(ROUTE_LOCALNET, 'utf8').trim();
    upstream = await startFakeUpstream({ [OUTSIDE.name]: OUTSIDE.ip }, false, UPSTREAM);
    confDir = mkdtempSync('/tmp/podbay-svc-e2e-');
    writeFileSync(join(confDir, 'resolv.conf'), `nameserver ${UPSTREAM.host}\n`);
    process.env.PODBAY_RESOLV_CONF = join(confDir, 'resolv.conf');
    await ps.start();
    await waitFor(
      async () => (await server.kubectl(['get', 'configmap', 'kube-root-ca.crt'])).code === 0,
      'kube-root-ca.crt published',
    );
    await ps.apply(MANIFESTS);
    await server.k(['wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
    for (const name of [...WEB, 'redis', 'client']) {
      podIP.set(name, (await ps.getPod(name)).status?.podIP ?? '');
    }
    webIP = (await getJson<Service>('svc', 'web')).spec?.clusterIP ?? '';
    await waitFor(async () => {
      const ep = await getJson<Endpoints>('endpoints', 'web');
      return (ep.subsets?.[0]?.addresses?.length ?? 0) === 3;
    }, 'web endpoints');
  });

  after(async () => {
    delete process.env.PODBAY_RESOLV_CONF;
    try {
      await ps.close();
      assert.equal(
        readFileSync(ROUTE_LOCALNET, 'utf8').trim(),
        routeLocalnetBefore,
        'route_localnet restored',
      );
    } finally {
      await upstream?.close();
      if (confDir) rmSync(confDir, { recursive: true, force: true });
    }
  });

  test("a pod's resolv.conf follows dnsPolicy ClusterFirst", async () => {
    assert.equal(
      await sh('client', 'cat /etc/resolv.conf'),
      'search default.svc.cluster.local svc.cluster.local cluster.local\n' +
        'nameserver 10.96.0.10\noptions ndots:5\n',
    );
  });

  test("dnsPolicy Default: the node's resolv.conf (the engine's, as kubelet's --resolv-conf)", async () => {
    assert.equal(await sh('host-dns', 'cat /etc/resolv.conf'), `nameserver ${UPSTREAM.host}\n`);
  });

  test('busybox nslookup: short and full names, headless, SRV, pod records, the API', async () => {
    // busybox nslookup tries every search domain and exits 1 when any of them is NXDOMAIN (as
    // the longer ones are for a full name): the answer lines are what counts.
    const lookup = (args: string) => sh('client', `busybox nslookup ${args} || true`);
    assert.match(await lookup('web'), new RegExp(`Address: ${webIP.replace(/\./g, '\\.')}\\b`));
    assert.match(await lookup('web.default.svc.cluster.local'), new RegExp(`Address: ${webIP}\\b`));
    const headless = await lookup('web-headless.default.svc.cluster.local');
    for (const name of WEB) assert.match(headless, new RegExp(`Address: ${podIP.get(name)}\\b`), name);
    assert.doesNotMatch(headless, new RegExp(`Address: ${webIP}\\b`));
    const srv = await lookup('-type=srv _http._tcp.web.default.svc.cluster.local');
    assert.match(
      srv,
      /_http\._tcp\.web\.default\.svc\.cluster\.local\s+service = 0 100 80 web\.default\.svc\.cluster\.local/,
    );
    const dashed = podIP.get('redis')!.replace(/\./g, '-');
    assert.match(
      await lookup(`${dashed}.default.pod.cluster.local`),
      new RegExp(`Address: ${podIP.get('redis')}\\b`),
    );
    assert.match(await lookup('kubernetes.default.svc.cluster.local'), /Address: 10\.96\.0\.1\b/);
    assert.match(await lookup('kube-dns.kube-system.svc.cluster.local'), /Address: 10\.96\.0\.10\b/);
  });

  test('a name outside the cluster is forwarded to the resolv.conf upstream', async () => {
    assert.match(
      await sh('client', `busybox nslookup ${OUTSIDE.name} || true`),
      new RegExp(`Address: ${OUTSIDE.ip}\\b`),
    );
    assert.ok(
      upstream.queries.some((q) => q.startsWith(`${OUTSIDE.name}/A/`)),
      upstream.queries.join(' '),
    );
  });

  test('busybox wget: a Service spreads new connections over its ready pods', async () => {
    const out = await sh('client', 'for i in $(seq 30); do wget -qO- http://web; done');
    assert.deepEqual([...new Set(out.trim().split('\n'))].sort(), WEB);
  });

  test('sessionAffinity ClientIP: every connection from one pod goes to the same pod', async () => {
    const out = await sh('client', 'for i in $(seq 12); do wget -qO- http://sticky; done');
    const seen = new Set(out.trim().split('\n'));
    assert.equal(seen.size, 1, [...seen].join(' '));
    assert.ok(WEB.includes([...seen][0]!), out);
  });

  test('hostPort is reachable from this host on 127.0.0.1', async () => {
    assert.equal(await fetchOnce('127.0.0.1', HOST_PORT), 'web-0');
  });

  test('hairpin: a pod reaches itself through its own Service', async () => {
    assert.equal((await sh('web-0', 'wget -qO- http://self.default.svc.cluster.local')).trim(), 'web-0');
  });

  test('NodePort is reachable from this host on 127.0.0.1', async () => {
    const nodePort = (await getJson<Service>('svc', 'web-np')).spec?.ports?.[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000, `nodePort ${nodePort}`);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(await fetchOnce('127.0.0.1', nodePort));
    assert.deepEqual(
      [...seen].filter((s) => !WEB.includes(s)),
      [],
      [...seen].join(' '),
    );
  });

  test('redis-cli -h <service name> from a pod reaches the redis pod', async () => {
    assert.equal((await sh('client', 'redis-cli -h redis set greeting hello')).trim(), 'OK');
    assert.equal((await sh('client', 'redis-cli -h redis.default.svc get greeting')).trim(), 'hello');
  });

  test('selector-less Services: a hand-written EndpointSlice, and hand-written Endpoints (mirrored)', async () => {
    const { bySlice, byEndpoints, headless, headlessHostname } = SELECTORLESS;
    const [sliceIP, endpointsIP] = [podIP.get('web-0')!, podIP.get('web-1')!];
    await ps.apply(selectorlessManifests({ sliceIP, endpointsIP, port: 8080 }));
    const mirrored = async () =>
      JSON.parse(
        await server.k([
          'get',
          'endpointslices',
          '-l',
          `kubernetes.io/service-name=${byEndpoints}`,
          '-o',
          'json',
        ]),
      ) as {
        items: { metadata: { labels: Record<string, string> }; endpoints: { addresses: string[] }[] }[];
      };
    await waitFor(async () => (await mirrored()).items.length === 1, 'the mirrored EndpointSlice');
    const [slice] = (await mirrored()).items;
    assert.equal(
      slice!.metadata.labels['endpointslice.kubernetes.io/managed-by'],
      'endpointslicemirroring-controller.k8s.io',
    );
    assert.equal(slice!.metadata.labels.owner, 'e2e', "the Endpoints' labels are copied");
    assert.deepEqual(
      slice!.endpoints.map((e) => e.addresses[0]),
      [endpointsIP],
    );
    for (const [name, pod] of [
      [bySlice, 'web-0'],
      [byEndpoints, 'web-1'],
    ] as const) {
      const ip = (await getJson<Service>('svc', name)).spec?.clusterIP ?? '';
      // By ClusterIP and by DNS name, from inside a pod (the proxy syncs within ~100 ms).
      await waitFor(async () => {
        const r = await server.kubectl(['exec', 'client', '--', 'wget', '-T', '2', '-qO-', `http://${ip}`]);
        return r.code === 0 && r.stdout.trim() === pod;
      }, `${name} by ClusterIP`);
      assert.equal(
        (await sh('client', `wget -T 2 -qO- http://${name}.default.svc.cluster.local`)).trim(),
        pod,
      );
    }
    const lookup = await sh(
      'client',
      `busybox nslookup ${headlessHostname}.${headless}.default.svc.cluster.local || true`,
    );
    assert.match(lookup, new RegExp(`Address: ${sliceIP}\\b`), 'a hand-written slice hostname resolves');
  });

  test('curl https://kubernetes.default.svc verifies the API certificate from a pod', async () => {
    const out = await sh(
      'client',
      'curl -sS --max-time 5 --cacert /ca/ca.crt https://kubernetes.default.svc/version',
    );
    assert.match(out, /"gitVersion"/);
    const denied = await sh(
      'client',
      'curl -sS --max-time 5 --cacert /ca/ca.crt -o /dev/null -w "%{http_code}" https://kubernetes.default.svc/api',
    );
    assert.equal(denied, '401', 'reached the API (no token given)');
  });

  test('malformed DNS through the kube-dns Service gets FORMERR; the server keeps answering', async () => {
    const exchange = (msg: Buffer) =>
      new Promise<Buffer | undefined>((resolve) => {
        const s = createSocket('udp4');
        const timer = setTimeout(() => {
          s.close();
          resolve(undefined);
        }, 2000);
        s.on('message', (m) => {
          clearTimeout(timer);
          s.close();
          resolve(m);
        });
        s.send(msg, 53, '10.96.0.10');
      });
    const bad = Buffer.from([
      0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0x61,
    ]);
    const reply = await exchange(bad);
    assert.ok(reply, 'an answer to the malformed query');
    assert.equal(reply.readUInt16BE(0), 0x1234);
    assert.equal(reply.readUInt16BE(2) & 0xf, 1, 'FORMERR');
    const good = packet.encode({
      id: 7,
      type: 'query',
      flags: packet.RECURSION_DESIRED,
      questions: [{ name: 'web.default.svc.cluster.local', type: 'A', class: 'IN' }],
    });
    const answer = packet.decode((await exchange(good))!);
    assert.deepEqual(
      answer.answers?.map((a) => (a as { data?: unknown }).data),
      [webIP],
    );
  });

  test('a pod failing readiness stops getting new connections within its probe period + 1 s', async (t) => {
    const t0 = Date.now();
    await server.k(['exec', 'web-1', '--', 'rm', '/www/healthy']);
    const ms = await msUntilNotServed(webIP, 80, 'web-1', t0);
    t.diagnostic(`web-1 out of the data path ${ms} ms after its health file went`);
    assert.ok(ms <= 2000, `web-1 still served ${ms} ms after its probe began failing`);
    const out = await sh('client', 'for i in $(seq 15); do wget -qO- http://web; done');
    assert.ok(!out.includes('web-1'), out);
  });

  test('deleting a pod removes its endpoint within 1 s', async (t) => {
    const t0 = Date.now();
    await server.k(['delete', 'pod', 'web-2', '--wait=false']);
    const ms = await msUntilNotServed(webIP, 80, 'web-2', t0);
    t.diagnostic(`web-2 out of the data path ${ms} ms after kubectl delete was sent`);
    assert.ok(ms <= 1000, `web-2 still served ${ms} ms after its deletion`);
    const ep = await getJson<Endpoints>('endpoints', 'web');
    assert.deepEqual(
      ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip),
      [podIP.get('web-0')],
    );
  });

  test('after kill -9 and a restart the rules are rebuilt from the store (even if flushed)', async () => {
    assert.equal(await server.stop('SIGKILL'), 'SIGKILL');
    // Whatever the previous run left is not trusted: flush it, as an administrator might.
    execFileSync('nft', ['flush', 'table', 'ip', 'podbay-proxy']);
    await server.start('127.0.0.1:0', SERVER_ARGS);
    await waitFor(async () => {
      const r = await server.kubectl(['exec', 'client', '--', 'sh', '-c', 'wget -T 2 -qO- http://web']);
      return r.code === 0 && r.stdout.trim() === 'web-0';
    }, 'web reachable by name after the restart');
    const api = await sh(
      'client',
      'curl -sS --max-time 5 --cacert /ca/ca.crt https://kubernetes.default.svc/version',
    );
    assert.match(api, /"gitVersion"/, 'the API at its new port through the kubernetes Service');
  });

  test('the kubernetes and kube-dns Services come back after being deleted, and pods resolve again', async () => {
    await server.k(['delete', 'service', 'kubernetes']);
    await server.k(['delete', 'service', '-n', 'kube-system', 'kube-dns']);
    // kube-apiserver reconciles its Service every 10 s; the engine keeps kube-dns the same way.
    await waitFor(
      async () => {
        const r = await server.kubectl([
          'exec',
          'client',
          '--',
          'nslookup',
          'kubernetes.default.svc.cluster.local',
        ]);
        return r.code === 0 && r.stdout.includes('10.96.0.1');
      },
      'kubernetes.default resolvable again through a recreated kube-dns',
      30_000,
    );
    const api = await sh(
      'client',
      'curl -sS --max-time 5 --cacert /ca/ca.crt https://kubernetes.default.svc/version',
    );
    assert.match(api, /"gitVersion"/, 'the API through the recreated kubernetes Service');
  });
});
