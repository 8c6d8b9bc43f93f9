import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { routeOf } from './check-config.js';
import { loadConfig } from './config/config.js';
import { newNode } from './topology/backend-node.js';

const config = loadConfig({ argv: ['--master', 'm', '--max-lag-bytes', '100'], env: {} });
const node = (port: number, role: 'master' | 'replica', fields: Partial<ReturnType<typeof newNode>> = {}) =>
  Object.assign(newNode({ host: '127.0.0.1', port }, role), { role, up: true, linkUp: true, ...fields });

describe('routeOf (the --check table route column)', () => {
  test('follows the router: master writes, healthy replicas read, lagging or unlinked ones do not', () => {
    const m = node(1, 'master');
    assert.match(routeOf(m, m, config), /^writes/);
    assert.equal(routeOf(node(2, 'replica', { lagBytes: 100 }), m, config), 'reads');
    assert.equal(routeOf(node(3, 'replica', { lagBytes: 101 }), m, config), 'none (lag > 100 bytes)');
    assert.equal(routeOf(node(4, 'replica', { linkUp: false }), m, config), 'none (replication link down)');
    assert.equal(routeOf(node(5, 'replica', { up: false }), m, config), 'none (down)');
    assert.equal(routeOf(node(6, 'master'), m, config), 'none (a second master: not elected)');
    assert.equal(
      routeOf(node(7, 'replica', { linkUp: false }), null, config),
      'reads (no master: last-known data)',
    );
  });
});
