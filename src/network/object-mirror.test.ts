import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ObjectMirror } from './object-mirror.js';
import { createService, startTestApi } from './testing/api.js';

const settle = () => new Promise((r) => setTimeout(r, 20));

describe('ObjectMirror', () => {
  const api = startTestApi();
  after(() => api.close());

  test('lists on start, follows the watch, and stops following after stop', async () => {
    createService(api, 'apps', 'a', { clusterIP: '10.96.0.70', ports: [{ port: 80, protocol: 'TCP' }] });
    const mirror = new ObjectMirror(api.client, ['services']);
    let changes = 0;
    mirror.onChange(() => changes++);
    mirror.start();
    const names = () => mirror.list('services').map((s) => s.metadata.name ?? '');
    assert.ok(names().includes('a'));
    assert.equal(changes, 1, 'one change for the initial list');
    const before = mirror.generation;
    createService(api, 'apps', 'b', { clusterIP: '10.96.0.71', ports: [{ port: 80, protocol: 'TCP' }] });
    await settle();
    assert.ok(names().includes('b'));
    assert.ok(mirror.generation > before);
    api.client.delete('services', 'apps', 'a');
    await settle();
    assert.ok(!names().includes('a'));
    mirror.stop();
    mirror.stop();
    createService(api, 'apps', 'c', { clusterIP: '10.96.0.72', ports: [{ port: 80, protocol: 'TCP' }] });
    await settle();
    assert.ok(!names().includes('c'), 'no updates after stop');
    mirror.start();
    assert.ok(names().includes('c'), 'a restart rebuilds from a full list');
    mirror.stop();
  });
});
