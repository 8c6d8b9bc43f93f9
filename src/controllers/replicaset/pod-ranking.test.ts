import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { podsToDelete } from './pod-ranking.js';

const now = new Date('2026-01-01T12:00:00Z');
function pod(
  name: string,
  o: {
    node?: string;
    phase?: string;
    ready?: boolean;
    readySince?: string;
    created?: string;
    restarts?: number;
    cost?: string;
  },
): Pod {
  return {
    metadata: {
      name,
      uid: name,
      creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
      ...(o.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [
        {
          type: 'Ready',
          status: o.ready === false ? 'False' : 'True',
          lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z',
        },
      ],
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0, ready: true, image: 'x', imageID: '' }],
    },
  };
}

test('deletion order follows upstream precedence', () => {
  const pods = [
    pod('old-ready', { node: 'n', created: '2025-01-01T00:00:00Z', readySince: '2025-01-01T00:00:00Z' }),
    pod('restarting', { node: 'n', restarts: 5 }),
    pod('unscheduled', { phase: 'Pending', ready: false }),
    pod('pending', { node: 'n', phase: 'Pending', ready: false }),
    pod('not-ready', { node: 'n', ready: false }),
    pod('cheap', { node: 'n', cost: '-10' }),
    pod('new-ready', { node: 'n', created: '2026-01-01T11:59:00Z', readySince: '2026-01-01T11:59:30Z' }),
  ];
  const order = podsToDelete(pods, pods, 6, now).map((p) => p.metadata!.name);
  assert.deepEqual(order, ['unscheduled', 'pending', 'not-ready', 'cheap', 'new-ready', 'restarting']);
  assert.equal(podsToDelete(pods, pods, 7, now).length, 7);
});
