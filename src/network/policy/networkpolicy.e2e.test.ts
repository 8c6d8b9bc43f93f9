/**
 * NetworkPolicy end to end (root): a real `podbay server --run-pods` driven by the stock kubectl,
 * every verdict observed with real traffic from inside busybox pods: `wget -T 2 -t 1` (GNU wget from
 * the shared root file system: busybox's own wget crashes on this machine, and without -t 1 GNU
 * wget retries 20 times) and `busybox nslookup`.
 * Covers default-deny ingress, an allow from a podSelector on a named port (to the pod IP and
 * through its Service, so the proxy's DNAT and the policy chains compose), a namespaceSelector
 * that starts matching when the namespace is labelled, egress deny with DNS allowed (the usual
 * CKAD policy, selecting kube-system's kube-dns pods), and deletion restoring traffic. The server
 * is stopped with SIGTERM and the machine checked clean (nft tables included) by PodServer.close.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';
import { POLICY_NFT_TABLE } from './ruleset.js';

const ps = new PodServer();
const server = ps.server;
const NS = 'netpol-e2e';
const OTHER = 'netpol-other';

const client = (ns: string, name: string, labels: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {${labels}}}
spec:
  terminationGracePeriodSeconds: 0
  containers: [{name: c, image: busybox, command: [sleep, '3600']}]
---
`;

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Namespace
metadata: {name: ${OTHER}}
---
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: ${NS}, labels: {app: server}}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: www, emptyDir: {}}]
  containers:
  - name: httpd
    image: busybox
    command: [sh, -c, 'echo hello > /www/index.html && exec busybox httpd -f -p 8080 -h /www']
    ports: [{name: http, containerPort: 8080}]
    volumeMounts: [{name: www, mountPath: /www}]
    readinessProbe:
      tcpSocket: {port: http}
      periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata: {name: server, namespace: ${NS}}
spec:
  selector: {app: server}
  ports: [{port: 80, targetPort: http}]
---
${client(NS, 'allowed', 'role: client')}${client(NS, 'denied', 'role: other')}${client(OTHER, 'remote', 'role: client')}`;

const DENY_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-ingress, namespace: ${NS}}
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

const ALLOW_CLIENTS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-clients, namespace: ${NS}}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from:
    - podSelector: {matchLabels: {role: client}}
    - namespaceSelector: {matchLabels: {team: friends}}
    ports: [{port: http}]
`;

const EGRESS_DNS_ONLY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-dns-only, namespace: ${NS}}
spec:
  podSelector: {matchLabels: {role: client}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`;

/** 'ok' when the pod fetched the page, 'blocked' otherwise (2 s connect timeout). */
async function fetchFrom(ns: string, pod: string, url: string): Promise<'ok' | 'blocked'> {
  const r = await server.kubectl(
    ['exec', '-n', ns, pod, '--', 'sh', '-c', `wget -qO- -T 2 -t 1 ${url} || true`],
    undefined,
    20_000,
  );
  return r.stdout.includes('hello') ? 'ok' : 'blocked';
}

/** Polls until `pod` sees `want` for `url` (rules follow changes within a sync, ~100 ms). */
async function expectFetch(ns: string, pod: string, url: string, want: 'ok' | 'blocked'): Promise<void> {
  let last = '';
  try {
    await waitFor(
      async () => {
        last = await fetchFrom(ns, pod, url);
        return last === want;
      },
      `${ns}/${pod} → ${url}: ${want}`,
      20_000,
    );
  } catch (err) {
    const table = execFileSync('nft', ['list', 'table', 'ip', POLICY_NFT_TABLE], { encoding: 'utf8' }).slice(
      0,
      4000,
    );
    throw new Error(`${String(err)} (last: ${last})\n${table}`);
  }
}

describe('NetworkPolicy enforced with real traffic (kubectl, root)', { timeout: 240_000 }, () => {
  let podURL: string;
  let clusterIP: string;
  const svcURL = `http://server.${NS}.svc.cluster.local/`;

  before(async () => {
    await ps.start();
    await ps.apply(MANIFESTS);
    await server.k(['wait', '-n', NS, '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
    await server.k(['wait', '-n', OTHER, '--for=condition=Ready', 'pod', '--all', '--timeout=60s']);
    const ip = (await server.k(['get', 'pod', '-n', NS, 'server', '-o', 'jsonpath={.status.podIP}'])).trim();
    podURL = `http://${ip}:8080/`;
    clusterIP = (
      await server.k(['get', 'svc', '-n', NS, 'server', '-o', 'jsonpath={.spec.clusterIP}'])
    ).trim();
  });

  after(async () => {
    try {
      await server.kubectl(
        ['delete', 'namespace', NS, OTHER, '--wait=true', '--timeout=60s'],
        undefined,
        70_000,
      );
    } finally {
      await ps.close();
    }
  });

  test('without policies every pod reaches the server, by pod IP and by Service name', async () => {
    assert.equal(await fetchFrom(NS, 'denied', podURL), 'ok');
    assert.equal(await fetchFrom(OTHER, 'remote', podURL), 'ok');
    assert.equal(await fetchFrom(NS, 'allowed', svcURL), 'ok');
  });

  test('default-deny ingress blocks every peer; the kubelet probe (node traffic) still passes', async () => {
    await ps.apply(DENY_INGRESS);
    await expectFetch(NS, 'allowed', podURL, 'blocked');
    assert.equal(await fetchFrom(OTHER, 'remote', podURL), 'blocked');
    // The readiness probe comes from the node: the server stays Ready.
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(
      await server.k([
        'get',
        'pod',
        '-n',
        NS,
        'server',
        '-o',
        'jsonpath={.status.containerStatuses[0].ready}',
      ]),
      'true',
    );
  });

  test('an allow from a podSelector on a named port lets only the labelled client in, also through the Service', async () => {
    await ps.apply(ALLOW_CLIENTS);
    await expectFetch(NS, 'allowed', podURL, 'ok');
    assert.equal(await fetchFrom(NS, 'allowed', svcURL), 'ok');
    assert.equal(await fetchFrom(NS, 'denied', podURL), 'blocked');
    assert.equal(await fetchFrom(NS, 'denied', svcURL), 'blocked');
    // role=client in another namespace: a podSelector alone means the policy's namespace.
    assert.equal(await fetchFrom(OTHER, 'remote', podURL), 'blocked');
  });

  test('a namespaceSelector admits another namespace once its labels match', async () => {
    await server.k(['label', 'namespace', OTHER, 'team=friends']);
    await expectFetch(OTHER, 'remote', podURL, 'ok');
    await server.k(['label', 'namespace', OTHER, 'team-']);
    await expectFetch(OTHER, 'remote', podURL, 'blocked');
  });

  test('egress deny with DNS allowed: names resolve, other egress is blocked', async () => {
    await ps.apply(EGRESS_DNS_ONLY);
    await expectFetch(NS, 'allowed', podURL, 'blocked');
    const lookup = await server.k([
      'exec',
      '-n',
      NS,
      'allowed',
      '--',
      'sh',
      '-c',
      `busybox nslookup server.${NS}.svc.cluster.local || true`,
    ]);
    assert.match(lookup, new RegExp(`Address: ${clusterIP.replace(/\./g, '\\.')}\\b`));
    // Not a client: its egress is not isolated.
    assert.equal(await fetchFrom(NS, 'denied', podURL), 'blocked'); // ingress still denies it
    // The API behind 10.96.0.1 is a node address, not the DNS pseudo-pod: closed to the
    // isolated client, open to a pod whose egress no policy isolates.
    // Plain HTTP to the TLS port: an open path answers (400 or a reset), a blocked one times out.
    const toApi = (pod: string) =>
      server.k([
        'exec',
        '-n',
        NS,
        pod,
        '--',
        'sh',
        '-c',
        'wget -O- -T 2 -t 1 http://10.96.0.1:443/ 2>&1; true',
      ]);
    assert.match(await toApi('allowed'), /timed out/);
    assert.doesNotMatch(await toApi('denied'), /timed out/);
  });

  test('deleting the policies restores traffic', async () => {
    await server.k(['delete', 'networkpolicy', '-n', NS, '--all']);
    await expectFetch(NS, 'denied', podURL, 'ok');
    assert.equal(await fetchFrom(OTHER, 'remote', podURL), 'ok');
    await waitFor(
      async () => !execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }).includes(POLICY_NFT_TABLE),
      'the policy table removed with the last policy',
    );
  });
});
