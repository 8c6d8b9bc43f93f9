import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import {
  activeDeadlineAt,
  DEADLINE_EXCEEDED_MESSAGE,
  DEADLINE_EXCEEDED_REASON,
  pastActiveDeadline,
} from './active-deadline.js';
import { exited, generate, NOW, pod, running, setStatus } from './testing/fixtures.js';

/** Ten minutes before the fixtures' NOW. */
const START = '2026-01-01T00:00:00Z';

function withDeadline(p: Pod, seconds: number | undefined, status: PodStatus): Pod {
  const out: Pod = { ...p, spec: { containers: [], ...p.spec, activeDeadlineSeconds: seconds } };
  setStatus(out, status);
  return out;
}

describe('activeDeadlineAt / pastActiveDeadline (active_deadline.go pastActiveDeadline)', () => {
  const running600 = withDeadline(pod({}), 600, { phase: 'Running', startTime: START });

  test('the deadline is startTime + activeDeadlineSeconds; reached when now - start >= it', () => {
    assert.equal(activeDeadlineAt(running600, running600.status), Date.parse(START) + 600_000);
    assert.equal(pastActiveDeadline(running600, running600.status, NOW), true, 'exactly at the deadline');
    assert.equal(pastActiveDeadline(running600, running600.status, new Date(NOW.getTime() - 1)), false);
  });

  test('no deadline, or no startTime yet: never past', () => {
    const none = withDeadline(pod({}), undefined, { phase: 'Running', startTime: START });
    assert.equal(activeDeadlineAt(none, none.status), undefined);
    assert.equal(pastActiveDeadline(none, none.status, NOW), false);
    assert.equal(activeDeadlineAt(running600, { phase: 'Pending' }), undefined);
    assert.equal(pastActiveDeadline(running600, undefined, NOW), false);
  });

  test('int32-sized deadlines stay exact (68 years ahead)', () => {
    const far = withDeadline(pod({}), 2 ** 31 - 1, { phase: 'Running', startTime: START });
    assert.equal(activeDeadlineAt(far, far.status), Date.parse(START) + (2 ** 31 - 1) * 1000);
    assert.equal(pastActiveDeadline(far, far.status, NOW), false);
  });
});

describe('generatePodStatus with spec.activeDeadlineSeconds (generateAPIPodStatus + ShouldEvict)', () => {
  test('a running pod past its deadline is Failed with reason DeadlineExceeded and the upstream message', () => {
    const p = withDeadline(pod({}), 600, { phase: 'Running', startTime: START });
    const { status, column } = generate(p, [running('app')]);
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, DEADLINE_EXCEEDED_REASON);
    assert.equal(status.reason, 'DeadlineExceeded');
    assert.equal(status.message, DEADLINE_EXCEEDED_MESSAGE);
    assert.equal(status.message, 'Pod was active on the node longer than the specified deadline');
    assert.equal(status.startTime, START, 'startTime is kept');
    // Its containers are killed afterwards; until then kubectl's STATUS shows the pod's reason.
    assert.equal(status.containerStatuses?.[0]?.state?.running !== undefined, true);
    assert.equal(column, 'DeadlineExceeded');
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.reason], ['False', 'PodFailed']);
  });

  test('one second before the deadline the pod is still Running', () => {
    const p = withDeadline(pod({}), 601, { phase: 'Running', startTime: START });
    const { status } = generate(p, [running('app')]);
    assert.equal(status.phase, 'Running');
    assert.equal(status.reason, undefined);
  });

  test('init containers count: a pod still initializing fails at its deadline too', () => {
    const p = withDeadline(pod({ init: [{ name: 'init', image: 'busybox' }] }), 60, {
      phase: 'Pending',
      startTime: START,
    });
    const { status } = generate(p, [running('init')]);
    assert.deepEqual([status.phase, status.reason], ['Failed', 'DeadlineExceeded']);
  });

  test('a lowered deadline applies to the running pod', () => {
    const before = withDeadline(pod({}), 3600, { phase: 'Running', startTime: START });
    assert.equal(generate(before, [running('app')]).status.phase, 'Running');
    const lowered = withDeadline(pod({}), 300, { phase: 'Running', startTime: START });
    assert.equal(generate(lowered, [running('app')]).status.phase, 'Failed');
  });

  test('the deadline runs from startTime, not creationTimestamp: the first status is not failed', () => {
    // Created ten minutes before NOW, first seen by the kubelet now.
    const p = withDeadline(pod({}), 60, { phase: 'Pending' });
    const { status } = generate(p, []);
    assert.equal(status.phase, 'Pending');
    assert.equal(status.startTime, '2026-01-01T00:10:00Z');
  });

  test('a pod that already finished keeps its terminal phase and reason', () => {
    const p = withDeadline(pod({ restartPolicy: 'Never' }), 60, { phase: 'Succeeded', startTime: START });
    const { status } = generate(p, [exited('app', 0)], { terminal: true });
    assert.equal(status.phase, 'Succeeded');
    assert.equal(status.reason, undefined);
  });
});
