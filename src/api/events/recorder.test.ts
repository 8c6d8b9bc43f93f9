import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClient } from '../../controllers/testing/fake-client.js';
import type { KubeObject } from '../types.js';
import { ApiEventRecorder, withFieldPath } from './recorder.js';

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u-1', resourceVersion: '7' },
  spec: { containers: [{ name: 'app' }, { name: 'side' }] },
};
const SOURCE = { component: 'kubelet', host: 'node-a' };

interface Ev extends KubeObject {
  count: number;
  involvedObject: { fieldPath?: string; name: string; uid: string };
}

function recorder() {
  const client = new FakeClient({ clock: { now: () => new Date('2026-01-01T00:00:00Z') } });
  const rec = new ApiEventRecorder(client, { now: () => new Date('2026-01-01T00:00:00Z') }, () => {});
  return { client, rec };
}

describe('ApiEventRecorder', () => {
  test('an event about the whole object has no fieldPath', () => {
    const { client, rec } = recorder();
    rec.event(POD, 'Normal', 'Scheduled', 'assigned', SOURCE);
    const [ev] = client.list<Ev>('events');
    assert.equal(ev?.involvedObject.name, 'web');
    assert.equal(ev?.involvedObject.uid, 'u-1');
    assert.equal('fieldPath' in (ev?.involvedObject ?? {}), false);
  });

  test('withFieldPath names the container, and the same message about two containers is two events', () => {
    const { client, rec } = recorder();
    for (let i = 0; i < 2; i++) {
      rec.event(withFieldPath(POD, 'spec.containers{app}'), 'Warning', 'BackOff', 'Back-off', SOURCE);
    }
    rec.event(withFieldPath(POD, 'spec.initContainers{side}'), 'Warning', 'BackOff', 'Back-off', SOURCE);
    const events = client.list<Ev>('events');
    const byPath = new Map(events.map((e) => [e.involvedObject.fieldPath, e.count]));
    assert.deepEqual(
      byPath,
      new Map([
        ['spec.containers{app}', 2],
        ['spec.initContainers{side}', 1],
      ]),
    );
  });
});
