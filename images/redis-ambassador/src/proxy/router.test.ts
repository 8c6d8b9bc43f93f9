import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newNode } from '../topology/backend-node.js';
import { ReplicaPicker } from './router.js';

const replica = (port: number, offset: number, readsInFlight = 0) => {
  const n = newNode({ host: '127.0.0.1', port }, 'replica');
  n.offset = offset;
  n.readsInFlight = readsInFlight;
  return n;
};

describe('ReplicaPicker', () => {
  test('round-robin spreads reads evenly', () => {
    const nodes = [replica(1, 0), replica(2, 0), replica(3, 0)];
    const p = new ReplicaPicker('round-robin');
    const picked = Array.from({ length: 6 }, () => p.pick(nodes, 0)!.address.port);
    assert.deepEqual(picked, [1, 2, 3, 1, 2, 3]);
  });

  test('read-your-writes: only replicas whose offset covers the write qualify; none means master (null)', () => {
    const nodes = [replica(1, 400), replica(2, 700)];
    const p = new ReplicaPicker('round-robin');
    assert.equal(p.pick(nodes, 500)!.address.port, 2);
    assert.equal(p.pick(nodes, 500)!.address.port, 2);
    assert.equal(p.pick(nodes, 700)!.address.port, 2);
    assert.equal(p.pick(nodes, 701), null);
    assert.equal(p.pick([replica(1, 400), replica(2, 700)], 0)!.address.port, 1);
    assert.equal(p.pick(nodes, Number.POSITIVE_INFINITY), null);
    assert.equal(p.pick([], 0), null);
  });

  test('least-outstanding picks the replica with the fewest reads in flight', () => {
    const p = new ReplicaPicker('least-outstanding');
    assert.equal(p.pick([replica(1, 0, 5), replica(2, 0, 1), replica(3, 0, 3)], 0)!.address.port, 2);
    assert.equal(p.pick([replica(1, 900, 5), replica(2, 100, 1), replica(3, 900, 3)], 500)!.address.port, 3);
  });
});
