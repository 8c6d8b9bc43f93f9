import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../../api/types.js';
import { newRegistryHarness, type RegistryHarness } from '../job/testing/registry-harness.js';
import { TTLAfterFinishedController, timeLeftMs } from './controller.js';

type JobObj = Job & KubeObject;

const job = (name: string, ttl?: number): JobObj => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name, namespace: 'default' },
  spec: {
    ...(ttl !== undefined && { ttlSecondsAfterFinished: ttl }),
    template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

describe('timeLeftMs', () => {
  const finished = (ttl: number | undefined, type = 'Complete'): Job => ({
    spec: { ttlSecondsAfterFinished: ttl, template: {} },
    status: { conditions: [{ type, status: 'True', lastTransitionTime: '2026-01-01T00:01:00Z' }] },
  });
  test('from the terminal condition; none without a TTL or before the Job finishes', () => {
    const now = Date.parse('2026-01-01T00:01:30Z');
    assert.equal(timeLeftMs(finished(60), now), 30_000);
    assert.equal(timeLeftMs(finished(10, 'Failed'), now), -20_000);
    assert.equal(timeLeftMs(finished(undefined), now), undefined);
    assert.equal(timeLeftMs(finished(60, 'SuccessCriteriaMet'), now), undefined);
  });
});

describe('TTLAfterFinishedController (real registry, injected clock)', () => {
  let h: RegistryHarness;
  afterEach(() => h.close());

  test('deletes a finished Job once its TTL has passed, and only then', async () => {
    h = newRegistryHarness();
    const controller = new TTLAfterFinishedController(h.deps, { resyncPeriodMs: 0 });
    h.run(controller);
    for (const j of [job('short', 60), job('keep')]) {
      const created = h.registry.create<JobObj>('jobs', j);
      h.registry.updateStatus('jobs', {
        ...created,
        status: {
          conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-01-01T00:00:30Z' }],
        },
      });
    }
    await h.settle();
    assert.ok(h.registry.get('jobs', 'default', 'short'), 'not yet due');
    h.clock.advance(60);
    controller.resync();
    await h.settle();
    // Foreground deletion: the Job waits for its dependents (none here) behind a finalizer
    // the garbage collector removes; it is marked for deletion either way.
    const short = h.registry.get<JobObj>('jobs', 'default', 'short');
    assert.ok(!short || short.metadata.deletionTimestamp, 'expired Job deleted');
    assert.ok(!h.registry.get<JobObj>('jobs', 'default', 'keep')?.metadata.deletionTimestamp, 'no TTL: kept');
  });
});
