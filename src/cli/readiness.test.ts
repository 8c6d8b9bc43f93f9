import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { formatReadiness, namespaceReadiness } from './readiness.js';

function pod(
  name: string,
  ready: boolean,
  extra: { phase?: string; deleting?: boolean; rs?: boolean } = {},
): Pod {
  return {
    metadata: {
      name,
      ...(extra.deleting && { deletionTimestamp: '2026-11-25T00:00:00Z' }),
      ...(extra.rs && {
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u' }],
      }),
    },
    status: {
      phase: extra.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

function deploy(replicas: number, ready: number, updated = ready): Deployment {
  return {
    metadata: { name: 'd', generation: 2 },
    spec: { replicas, selector: {}, template: {} },
    status: { observedGeneration: 2, replicas: ready, readyReplicas: ready, updatedReplicas: updated },
  };
}

const cases: [string, Pod[], Deployment[], { ready: number; total: number; settled: boolean }][] = [
  ['nothing at all is settled', [], [], { ready: 0, total: 0, settled: true }],
  ['bare pods all Ready', [pod('a', true), pod('b', true)], [], { ready: 2, total: 2, settled: true }],
  ['one bare pod not Ready', [pod('a', true), pod('b', false)], [], { ready: 1, total: 2, settled: false }],
  ['a Deployment whose pods do not exist yet', [], [deploy(3, 0)], { ready: 0, total: 3, settled: false }],
  [
    'a Deployment half created',
    [pod('a', true, { rs: true })],
    [deploy(3, 1)],
    { ready: 1, total: 3, settled: false },
  ],
  [
    'a Deployment all Ready',
    [pod('a', true, { rs: true }), pod('b', true, { rs: true })],
    [deploy(2, 2)],
    { ready: 2, total: 2, settled: true },
  ],
  [
    'a rollout in progress is not settled even with every pod Ready',
    [pod('a', true, { rs: true }), pod('b', true, { rs: true })],
    [deploy(2, 2, 1)],
    { ready: 2, total: 2, settled: false },
  ],
  [
    'terminating and completed pods do not count',
    [pod('a', true), pod('old', false, { deleting: true }), pod('job', false, { phase: 'Succeeded' })],
    [],
    { ready: 1, total: 1, settled: true },
  ],
];

for (const [name, pods, deploys, want] of cases) {
  test(`namespaceReadiness: ${name}`, () => {
    assert.deepEqual(namespaceReadiness('ns', pods, deploys), { namespace: 'ns', ...want });
  });
}

test('formatReadiness: one compact line', () => {
  assert.equal(
    formatReadiness([
      { namespace: 'database', ready: 4, total: 4, settled: true },
      { namespace: 'development', ready: 5, total: 8, settled: false },
    ]),
    'database 4/4 ready · development 5/8 ready',
  );
});
