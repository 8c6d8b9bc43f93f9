/**
 * The enforcer on a real data path: it programs nftables inside a node namespace this test builds
 * (testing/netns.ts: a bridge and three pod namespaces, each running a TCP server), and
 * connections between pod namespaces show what the kernel lets through. Covers watch-driven
 * updates (policy, pod labels, pod deletion), the table's removal with the last policy, resync
 * repairing a deleted table, and teardown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { NODE_NETWORK_RESOURCES, ObjectMirror } from '../object-mirror.js';
import { type Obj, startTestApi, type TestApi } from '../testing/api.js';
import { TestNode } from '../testing/netns.js';
import { NetworkPolicyEnforcer } from './enforcer.js';

const PORT = 8080;

/** Retries `check` (which throws until it holds) for up to 5 s; a sync takes ~20 ms here. */
async function until(check: () => unknown): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('NetworkPolicyEnforcer data path (network namespaces)', () => {
  let api: TestApi;
  const node = new TestNode();
  let mirror: ObjectMirror;
  let enforcer: NetworkPolicyEnforcer;
  const ip = (i: number) => node.pods[i]!.ip;
  const from = async (i: number, to: number) => (await node.connect(node.pods[i]!.ns, ip(to), PORT, 1))[0]!;
  const tables = () => node.run('nft', 'list', 'tables');

  const setPod = (i: number, labels: Record<string, string>) => {
    const name = `p${i}`;
    const cur = api.client.get<Obj<Pod>>('pods', 'apps', name);
    if (cur) return api.client.update('pods', { ...cur, metadata: { ...cur.metadata, labels } });
    const pod = api.client.create<Obj<Pod>>('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'apps', labels },
      spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'srv', containerPort: PORT }] }] },
    });
    return api.client.updateStatus('pods', { ...pod, status: { phase: 'Running', podIP: ip(i) } });
  };

  before(async () => {
    api = startTestApi();
    node.create(3, '10.96.0.0/12');
    await node.startServers(PORT);
    setPod(0, { app: 'db' });
    setPod(1, { role: 'client' });
    setPod(2, { role: 'other' });
    mirror = new ObjectMirror(api.client, NODE_NETWORK_RESOURCES);
    mirror.start();
    enforcer = new NetworkPolicyEnforcer(
      { mirror },
      {
        gatewayIP: node.bridgeIP,
        commands: { prefix: ['ip', 'netns', 'exec', node.nodeNs] },
        debounceMs: 20,
        resyncMs: 0,
      },
    );
    await enforcer.start();
  });

  after(async () => {
    await enforcer?.stop({ teardown: true });
    mirror?.stop();
    await node.destroy();
    api?.close();
  });

  test('no policy: no table, every pod reaches every pod', async () => {
    assert.doesNotMatch(tables(), /podbay-policy/);
    assert.match(await from(1, 0), /^p1 /);
    assert.match(await from(2, 0), /^p1 /);
  });

  test('an allow on a named port from a podSelector admits only the selected client', async () => {
    api.client.create<Obj<NetworkPolicy>>('networkpolicies', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'apps' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'srv' }] }],
      },
    });
    await until(async () => assert.equal(await from(2, 0), 'ERR:TIMEOUT'));
    assert.match(await from(1, 0), /^p1 /);
    // p0 is not egress-isolated and p1 not ingress-isolated: the other way is open.
    assert.match(await from(0, 1), /^p2 /);
  });

  test('rules follow pod labels and pod deletion', async () => {
    setPod(2, { role: 'client' });
    await until(async () => assert.match(await from(2, 0), /^p1 /));
    api.client.delete('pods', 'apps', 'p1', { gracePeriodSeconds: 0 });
    await until(async () => assert.equal(await from(1, 0), 'ERR:TIMEOUT'));
  });

  test('a resync rebuilds a table deleted behind its back', async () => {
    node.run('nft', 'delete', 'table', 'ip', 'podbay-policy');
    assert.match(await from(1, 0), /^p1 /);
    await enforcer.syncNow(true);
    assert.equal(await from(1, 0), 'ERR:TIMEOUT');
  });

  test('deleting the last policy removes the table and restores traffic', async () => {
    api.client.delete('networkpolicies', 'apps', 'db');
    await until(() => assert.doesNotMatch(tables(), /podbay-policy/));
    assert.match(await from(1, 0), /^p1 /);
  });

  test('ipBlock except is by address (pod or not); an egress endPort range', async () => {
    const put = (name: string, spec: NetworkPolicy['spec']) => {
      const cur = api.client.get<Obj<NetworkPolicy>>('networkpolicies', 'apps', name);
      const body = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: 'apps' },
        spec,
      };
      return cur
        ? api.client.update('networkpolicies', { ...cur, spec })
        : api.client.create('networkpolicies', body);
    };
    put('block', {
      podSelector: { matchLabels: { app: 'db' } },
      ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/24', except: [`${ip(2)}/32`] } }] }],
    });
    await until(async () => assert.equal(await from(2, 0), 'ERR:TIMEOUT'));
    // p2's address has no pod object any more: the block still admits it.
    assert.match(await from(1, 0), /^p1 /);
    const egress = (from: number, to: number): NetworkPolicy['spec'] => ({
      podSelector: { matchLabels: { role: 'client' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.244.0.0/24' } }],
          ports: [{ protocol: 'TCP', port: from, endPort: to }],
        },
      ],
    });
    put('out', egress(8000, 8100));
    await until(async () => assert.match(await from(2, 1), /^p2 /));
    put('out', egress(9000, 9100));
    await until(async () => assert.equal(await from(2, 1), 'ERR:TIMEOUT'));
    api.client.delete('networkpolicies', 'apps', 'block');
    api.client.delete('networkpolicies', 'apps', 'out');
    await until(() => assert.doesNotMatch(tables(), /podbay-policy/));
  });
});
