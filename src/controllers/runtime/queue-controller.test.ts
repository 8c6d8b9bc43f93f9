import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EndpointSliceController } from '../endpointslice/controller.js';
import { DEFAULT_RESOURCES, FakeClient } from '../testing/fake-client.js';
import { FakeEventRecorder } from '../testing/fake-events.js';

test('a controller whose required resource is not served stays idle and says so', () => {
  const logs: string[] = [];
  const client = new FakeClient({
    resources: DEFAULT_RESOURCES.filter((r) => r.resource !== 'endpointslices'),
  });
  const deps = {
    client,
    events: new FakeEventRecorder(),
    clock: { now: () => new Date() },
    log: (m: string) => logs.push(m),
  };
  const c = new EndpointSliceController(deps, { resyncPeriodMs: 0 });
  c.start();
  assert.deepEqual(logs, ['endpointslice: endpointslices.discovery.k8s.io not served; controller idle']);
  client.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
  });
  assert.deepEqual(client.writes, ['create services default/web'], 'nothing but the test wrote');
  c.stop();
});
