/**
 * The real data path: the proxy programs nftables inside a node namespace this test builds
 * (testing/netns.ts), and TCP connections between namespaces show where the kernel sends
 * them. Only addresses of those namespaces and loopback are used.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventually } from '../../runtime/testing/harness.js';
import { ObjectMirror, SERVICE_NETWORK_RESOURCES } from '../object-mirror.js';
import {
  createRunningPod,
  createService,
  setEndpointSlice,
  startTestApi,
  type TestApi,
} from '../testing/api.js';
import { TestNode } from '../testing/netns.js';
import { notReady, ready } from '../testing/slices.js';
import { ServiceProxy } from './proxier.js';

const SERVICE_CIDR = '10.96.0.0/12';
const POD_PORT = 8080;

describe('ServiceProxy data path (network namespaces)', () => {
  let api: TestApi;
  const node = new TestNode();
  let proxy: ServiceProxy;
  let mirror: ObjectMirror;
  const ip = (i: number) => node.pods[i]!.ip;
  const httpPort = [{ name: 'http', port: POD_PORT, protocol: 'TCP' as const }];

  before(async () => {
    api = startTestApi();
    node.create(3, SERVICE_CIDR);
    await node.startServers(POD_PORT);
    // web: p1, p2 ready, p3 not ready; a named targetPort resolved by the slice's port.
    createService(api, 'apps', 'web', {
      clusterIP: '10.96.0.50',
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    });
    setEndpointSlice(api, 'apps', 'web', {
      endpoints: [ready(ip(0)), ready(ip(1)), notReady(ip(2))],
      ports: httpPort,
    });
    createService(api, 'apps', 'sticky', {
      clusterIP: '10.96.0.51',
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      ports: [{ name: 'http', port: 80, targetPort: POD_PORT, protocol: 'TCP' }],
    });
    setEndpointSlice(api, 'apps', 'sticky', {
      endpoints: [ready(ip(0)), ready(ip(1)), ready(ip(2))],
      ports: httpPort,
    });
    createService(api, 'apps', 'np', {
      type: 'NodePort',
      clusterIP: '10.96.0.52',
      ports: [{ name: 'http', port: 80, targetPort: POD_PORT, nodePort: 30080, protocol: 'TCP' }],
    });
    setEndpointSlice(api, 'apps', 'np', { endpoints: [ready(ip(2))], ports: httpPort });
    createService(api, 'apps', 'self', {
      clusterIP: '10.96.0.53',
      ports: [{ name: 'http', port: 80, targetPort: POD_PORT, protocol: 'TCP' }],
    });
    setEndpointSlice(api, 'apps', 'self', { endpoints: [ready(ip(0))], ports: httpPort });
    createService(api, 'apps', 'empty', {
      clusterIP: '10.96.0.54',
      ports: [{ name: 'http', port: 80, targetPort: POD_PORT, protocol: 'TCP' }],
    });
    createRunningPod(api, 'apps', 'edge', node.pods[1]!.ip, {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          ports: [{ containerPort: POD_PORT, hostPort: 9090, protocol: 'TCP' }],
        },
      ],
    });
    mirror = new ObjectMirror(api.client, SERVICE_NETWORK_RESOURCES);
    mirror.start();
    proxy = new ServiceProxy(
      { mirror },
      { commands: { prefix: ['ip', 'netns', 'exec', node.nodeNs] }, debounceMs: 50, resyncMs: 0 },
    );
    await proxy.start();
  });

  after(async () => {
    await proxy?.stop({ teardown: true });
    mirror?.stop();
    await node.destroy();
    api?.close();
  });

  const backends = (replies: string[]) => replies.map((r) => r.split(' ')[0] ?? r);

  test('a ClusterIP spreads new connections over the ready endpoints only', async () => {
    const replies = backends(await node.connect(node.nodeNs, '10.96.0.50', 80, 40));
    assert.deepEqual([...new Set(replies)].sort(), ['p1', 'p2'], `replies: ${replies.join(',')}`);
    const p1 = replies.filter((r) => r === 'p1').length;
    assert.ok(p1 >= 5 && p1 <= 35, `random spreading, p1 got ${p1} of 40`);
  });

  test('ClientIP affinity keeps one client on one endpoint', async () => {
    const fromNode = backends(await node.connect(node.nodeNs, '10.96.0.51', 80, 15));
    assert.equal(new Set(fromNode).size, 1, `replies: ${fromNode.join(',')}`);
    const fromPod = backends(await node.connect(node.pods[1]!.ns, '10.96.0.51', 80, 15));
    assert.equal(new Set(fromPod).size, 1, `replies: ${fromPod.join(',')}`);
  });

  test('a NodePort answers on the node’s 127.0.0.1', async () => {
    assert.equal(node.run('sysctl', '-n', 'net.ipv4.conf.all.route_localnet').trim(), '1');
    const replies = await node.connect(node.nodeNs, '127.0.0.1', 30080, 3);
    // The pod sees the bridge address: localhost traffic is masqueraded on its way out.
    assert.deepEqual(replies, ['p3 10.244.0.1', 'p3 10.244.0.1', 'p3 10.244.0.1']);
    assert.deepEqual(backends(await node.connect(node.pods[0]!.ns, '10.96.0.52', 80, 2)), ['p3', 'p3']);
  });

  test('a hostPort answers on the node’s addresses, from the node and from other pods', async () => {
    assert.deepEqual(await node.connect(node.nodeNs, '127.0.0.1', 9090, 1), ['p2 10.244.0.1']);
    assert.deepEqual(await node.connect(node.pods[0]!.ns, node.bridgeIP, 9090, 1), ['p2 10.244.0.11']);
  });

  test('a pod reaches itself through its own Service (hairpin, masqueraded)', async () => {
    const replies = await node.connect(node.pods[0]!.ns, '10.96.0.53', 80, 3);
    assert.deepEqual(replies, ['p1 10.244.0.1', 'p1 10.244.0.1', 'p1 10.244.0.1']);
    // Another pod reaching p1 keeps its own source address: only hairpin is masqueraded.
    assert.deepEqual(await node.connect(node.pods[1]!.ns, '10.96.0.53', 80, 1), ['p1 10.244.0.12']);
  });

  test('a Service without ready endpoints rejects connections', async () => {
    assert.deepEqual(await node.connect(node.nodeNs, '10.96.0.54', 80, 2), [
      'ERR:ECONNREFUSED',
      'ERR:ECONNREFUSED',
    ]);
    assert.deepEqual(await node.connect(node.pods[0]!.ns, '10.96.0.54', 80, 1), ['ERR:ECONNREFUSED']);
  });

  // How fast a change reaches the data path is measured in bench/services.ts, not timed here: on a
  // loaded machine each probe below spawns a client process, and a wall-clock bound only measures that.
  test('removing an endpoint stops new connections to it; its return restores the spread', async (t) => {
    const changed = Date.now();
    setEndpointSlice(api, 'apps', 'web', {
      endpoints: [notReady(ip(0)), ready(ip(1)), notReady(ip(2))],
      ports: httpPort,
    });
    const onlyP2 = await eventually(
      async () => {
        const replies = backends(await node.connect(node.nodeNs, '10.96.0.50', 80, 10));
        return replies.every((r) => r === 'p2') ? replies : undefined;
      },
      10_000,
      'new connections to go to p2 only',
    );
    assert.equal(onlyP2.length, 10);
    t.diagnostic(`removal reached the data path within ${Date.now() - changed} ms`);
    // And back: the endpoint returns, the spread returns.
    const restored = Date.now();
    setEndpointSlice(api, 'apps', 'web', { endpoints: [ready(ip(0)), ready(ip(1))], ports: httpPort });
    await eventually(
      async () =>
        backends(await node.connect(node.nodeNs, '10.96.0.50', 80, 10)).includes('p1') ? true : undefined,
      10_000,
      'p1 to receive connections again',
    );
    t.diagnostic(`the return reached the data path within ${Date.now() - restored} ms`);
  });

  test('the table is rebuilt after it is deleted behind the proxy’s back, and removed on teardown', async () => {
    node.run('nft', 'delete', 'table', 'ip', 'podbay-proxy');
    const [without] = await node.connect(node.nodeNs, '10.96.0.53', 80, 1);
    assert.match(without!, /^ERR:/, 'without the table a ClusterIP leads nowhere');
    await proxy.syncNow(true);
    assert.deepEqual(backends(await node.connect(node.nodeNs, '10.96.0.53', 80, 1)), ['p1']);
    // A second proxy (an engine restart) applies over the live table without errors.
    await proxy.stop();
    const again = new ServiceProxy(
      { mirror },
      { commands: { prefix: ['ip', 'netns', 'exec', node.nodeNs] }, resyncMs: 0 },
    );
    await again.start();
    assert.equal(again.syncCount, 1);
    assert.deepEqual(backends(await node.connect(node.nodeNs, '10.96.0.53', 80, 1)), ['p1']);
    await again.stop({ teardown: true });
    assert.throws(() => node.run('nft', 'list', 'table', 'ip', 'podbay-proxy'));
  });
});
