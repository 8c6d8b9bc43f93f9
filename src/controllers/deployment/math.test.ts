import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import { computeHash, safeEncodeString } from './hash.js';
import { maxSurge, maxUnavailable, scaledValue } from './intstr.js';

const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
const dep = (
  replicas: number,
  maxSurgeV: number | string,
  maxUnavailableV: number | string,
  type = 'RollingUpdate',
): Deployment => ({
  spec: {
    replicas,
    selector: {},
    template: {},
    strategy: { type, rollingUpdate: { maxSurge: maxSurgeV, maxUnavailable: maxUnavailableV } },
  },
});

describe('pod-template-hash', () => {
  test('stable, key-order independent, sensitive to content and collisionCount', () => {
    const h = computeHash(tpl);
    assert.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(computeHash({ spec: tpl.spec, metadata: tpl.metadata }), h);
    assert.notEqual(computeHash({ ...tpl, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }), h);
    assert.notEqual(computeHash(tpl, 1), h);
    assert.notEqual(computeHash(tpl, 1), computeHash(tpl, 2));
  });
  test('SafeEncodeString maps digits as upstream', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });
});

describe('maxSurge / maxUnavailable', () => {
  test('percentages round surge up and unavailability down', () => {
    assert.equal(scaledValue('25%', 3, true), 1);
    assert.equal(scaledValue('25%', 3, false), 0);
    assert.equal(scaledValue(2, 3, false), 2);
    assert.equal(maxSurge(dep(10, '25%', '25%')), 3);
    assert.equal(maxUnavailable(dep(10, '25%', '25%')), 2);
  });
  test('both zero: unavailability becomes 1; capped at replicas; Recreate has none', () => {
    assert.equal(maxUnavailable(dep(3, '0%', '10%')), 1);
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxUnavailable(dep(0, 0, 5)), 0);
    assert.equal(maxSurge(dep(3, 1, 1, 'Recreate')), 0);
  });
  test('bad values are reported as upstream does', () => {
    assert.throws(() => scaledValue('abc', 3, true), /invalid type: string is not a percentage/);
    assert.throws(() => scaledValue('x%', 3, true), /invalid value "x%"/);
  });
});
