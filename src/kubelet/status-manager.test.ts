import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../api/types.js';
import { FakeClient } from '../controllers/testing/fake-client.js';
import { StatusManager } from './status-manager.js';

function setup() {
  const client = new FakeClient();
  const pod = client.create<Pod & KubeObject>('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  } as Pod & KubeObject);
  const logs: string[] = [];
  const sm = new StatusManager({ client, log: (m) => logs.push(m) });
  return { client, pod, sm, logs };
}

test('the newest status wins and is written once; an unchanged status is not rewritten', async () => {
  const { client, pod, sm } = setup();
  sm.setPodStatus(pod, { phase: 'Pending' });
  sm.setPodStatus(pod, { phase: 'Running' });
  await new Promise((r) => setImmediate(r));
  assert.equal(client.get<Pod & KubeObject>('pods', 'default', 'web')?.status?.phase, 'Running');
  const writes = client.writes.filter((w) => w.startsWith('updateStatus')).length;
  assert.equal(writes, 1);
  sm.setPodStatus(pod, { phase: 'Running' });
  sm.flush();
  assert.equal(client.writes.filter((w) => w.startsWith('updateStatus')).length, 1);
  assert.equal(sm.getPodStatus(pod.metadata.uid ?? '')?.phase, 'Running');
});

test('a status for a pod that is gone or replaced is dropped, not written', () => {
  const { client, pod, sm } = setup();
  client.delete('pods', 'default', 'web');
  sm.setPodStatus(pod, { phase: 'Running' });
  sm.flush();
  assert.equal(client.writes.filter((w) => w.startsWith('updateStatus')).length, 0);
  sm.removePod(pod.metadata.uid ?? '');
  assert.equal(sm.getPodStatus(pod.metadata.uid ?? ''), undefined);
});
