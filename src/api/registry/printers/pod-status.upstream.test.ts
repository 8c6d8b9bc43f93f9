import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { summarizePod } from './pod-status.js';
import {
  condition,
  containers,
  cs,
  DAY,
  MIN,
  NOW,
  pod,
  running,
  SEC,
  sidecar,
  terminated,
  waiting,
} from './testing/pod-fixtures.js';

/** [what, pod, READY, STATUS, RESTARTS] */
type Fixture = readonly [string, Pod, string, string, string];

// printers_test.go TestPrintPod and TestPrintPodWithRestartableInitContainer (current master),
// case by case, with upstream's expected cells.
const UPSTREAM: readonly Fixture[] = [
  [
    'test1: phase, restarts summed',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      statuses: [cs(running(), { ready: true, restarts: 3 }), cs(undefined, { restarts: 3 })],
    }),
    '1/2',
    'podPhase',
    '6',
  ],
  [
    'test2: container waiting reason overrides phase',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      statuses: [
        cs(running(), { ready: true, restarts: 3 }),
        cs(waiting('ContainerWaitingReason'), { restarts: 3 }),
      ],
    }),
    '1/2',
    'ContainerWaitingReason',
    '6',
  ],
  [
    'test3: first container wins over later ones',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      statuses: [
        cs(waiting('ContainerWaitingReason'), { restarts: 3 }),
        cs(terminated(0, 'ContainerTerminatedReason'), { restarts: 3 }),
      ],
    }),
    '0/2',
    'ContainerWaitingReason',
    '6',
  ],
  [
    'test4: ready without running is not counted',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      statuses: [cs(running(), { ready: true, restarts: 3 }), cs(undefined, { ready: true, restarts: 3 })],
    }),
    '1/2',
    'podPhase',
    '6',
  ],
  [
    'test5: status.reason overrides phase',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      reason: 'podReason',
      statuses: [cs(running(), { ready: true, restarts: 3 }), cs(undefined, { ready: true, restarts: 3 })],
    }),
    '1/2',
    'podReason',
    '6',
  ],
  [
    'test6: Completed + running without Ready condition',
    pod({
      containers: containers(2),
      phase: 'Running',
      statuses: [
        cs(terminated(0, 'Completed'), { ready: true, restarts: 3 }),
        cs(running(), { ready: true, restarts: 3 }),
      ],
    }),
    '1/2',
    'NotReady',
    '6',
  ],
  [
    'test6: Completed + running with Ready condition',
    pod({
      containers: containers(2),
      phase: 'Running',
      conditions: [condition('Ready', 'True')],
      statuses: [
        cs(terminated(0, 'Completed'), { ready: true, restarts: 3 }),
        cs(running(), { ready: true, restarts: 3 }),
      ],
    }),
    '1/2',
    'Running',
    '6',
  ],
  [
    'test7: init container restarting',
    pod({
      initContainers: containers(1),
      phase: 'podPhase',
      initStatuses: [cs(running(), { restarts: 3, lastFinishedAgo: 10 * SEC })],
      statuses: [cs(waiting())],
    }),
    '0/1',
    'Init:0/1',
    '3 (10s ago)',
  ],
  [
    'test8: first of two init containers restarting',
    pod({
      initContainers: containers(2),
      phase: 'podPhase',
      initStatuses: [cs(running(), { restarts: 3, lastFinishedAgo: 10 * SEC }), cs(waiting())],
      statuses: [cs(waiting())],
    }),
    '0/1',
    'Init:0/2',
    '3 (10s ago)',
  ],
  [
    'test9: second init container restarting',
    pod({
      initContainers: containers(2),
      phase: 'podPhase',
      initStatuses: [
        cs({ terminated: { exitCode: 0 } }),
        cs(running(), { restarts: 3, lastFinishedAgo: 10 * SEC }),
      ],
      statuses: [cs(waiting())],
    }),
    '0/1',
    'Init:1/2',
    '3 (10s ago)',
  ],
  [
    'test10: init restarts summed, newest restart shown',
    pod({
      initContainers: containers(2),
      phase: 'podPhase',
      initStatuses: [
        cs({ terminated: { exitCode: 0 } }, { restarts: 2, lastFinishedAgo: 2 * MIN }),
        cs(running(), { restarts: 3, lastFinishedAgo: 10 * SEC }),
      ],
      statuses: [cs(waiting())],
    }),
    '0/1',
    'Init:1/2',
    '5 (10s ago)',
  ],
  [
    'test11: finished init restarts no longer count',
    pod({
      initContainers: containers(1),
      phase: 'Running',
      initStatuses: [cs({ terminated: { exitCode: 0 } }, { restarts: 2, lastFinishedAgo: 2 * MIN })],
      statuses: [cs(running(), { restarts: 4, lastFinishedAgo: 20 * SEC })],
    }),
    '0/1',
    'Running',
    '4 (20s ago)',
  ],
  [
    'test12: restarted 5d ago',
    pod({
      phase: 'Running',
      statuses: [cs(running(), { ready: true, restarts: 3, lastFinishedAgo: 5 * DAY })],
    }),
    '1/1',
    'Running',
    '3 (5d ago)',
  ],
  [
    'test13: one restarted 10d ago',
    pod({
      containers: containers(2),
      phase: 'Running',
      statuses: [
        cs(running(), { ready: true }),
        cs(running(), { ready: true, restarts: 3, lastFinishedAgo: 10 * DAY }),
      ],
    }),
    '2/2',
    'Running',
    '3 (10d ago)',
  ],
  [
    'test14: newest of two restarts',
    pod({
      containers: containers(2),
      phase: 'Running',
      statuses: [
        cs(running(), { ready: true, restarts: 6, lastFinishedAgo: 5 * DAY }),
        cs(running(), { ready: true, restarts: 3, lastFinishedAgo: 20 * DAY }),
      ],
    }),
    '2/2',
    'Running',
    '9 (5d ago)',
  ],
  [
    'test15: SchedulingGated',
    pod({
      containers: containers(2),
      phase: 'podPhase',
      conditions: [condition('PodScheduled', 'False', 'SchedulingGated')],
    }),
    '0/2',
    'SchedulingGated',
    '0',
  ],
  [
    'test16: succeeded',
    pod({ phase: 'Succeeded', statuses: [cs(terminated(0, 'Completed'))] }),
    '0/1',
    'Completed',
    '0',
  ],
  ['test17: failed', pod({ phase: 'Failed', statuses: [cs(terminated(1, 'Error'))] }), '0/1', 'Error', '0'],
  [
    'test18: succeeded while deleting stays Completed',
    pod({ phase: 'Succeeded', deleting: true, statuses: [cs(terminated(0, 'Completed'))] }),
    '0/1',
    'Completed',
    '0',
  ],
  [
    'test19: running while deleting',
    pod({ phase: 'Running', deleting: true, statuses: [cs(running())] }),
    '0/1',
    'Terminating',
    '0',
  ],
  ['test20: pending while deleting', pod({ phase: 'Pending', deleting: true }), '0/1', 'Terminating', '0'],
  [
    'sidecar test1: running but not started',
    pod({
      initContainers: [sidecar('restartable-init-1'), sidecar('restartable-init-2')],
      phase: 'Pending',
      conditions: [condition('Initialized', 'False')],
      initStatuses: [
        cs(running(), { restarts: 3, started: false, lastFinishedAgo: 10 * SEC }, 'restartable-init-1'),
        cs(waiting(), { started: false }, 'restartable-init-2'),
      ],
      statuses: [cs(waiting())],
    }),
    '0/3',
    'Init:0/2',
    '3 (10s ago)',
  ],
  [
    'sidecar test1b: first started, second not',
    pod({
      initContainers: [sidecar('restartable-init-1'), sidecar('restartable-init-2')],
      phase: 'Pending',
      conditions: [condition('Initialized', 'False')],
      initStatuses: [
        cs(running(), { restarts: 3, started: true, lastFinishedAgo: 10 * SEC }, 'restartable-init-1'),
        cs(running(), { started: false }, 'restartable-init-2'),
      ],
      statuses: [cs(waiting())],
    }),
    '0/3',
    'Init:1/2',
    '3 (10s ago)',
  ],
  [
    'sidecar test2: both started, app running',
    pod({
      initContainers: [sidecar('restartable-init-1'), sidecar('restartable-init-2')],
      phase: 'Running',
      conditions: [condition('Initialized', 'True')],
      initStatuses: [
        cs(running(), { restarts: 3, started: true, lastFinishedAgo: 10 * SEC }, 'restartable-init-1'),
        cs(running(), { started: true }, 'restartable-init-2'),
      ],
      statuses: [cs(running(), { ready: true, restarts: 4, lastFinishedAgo: 20 * SEC })],
    }),
    '1/3',
    'Running',
    '7 (10s ago)',
  ],
  [
    'sidecar test3: sidecars killed after app completed',
    pod({
      initContainers: [sidecar('restartable-init-1'), sidecar('restartable-init-2')],
      phase: 'Succeeded',
      conditions: [condition('Initialized', 'True')],
      initStatuses: [
        cs(
          terminated(137, 'Error'),
          { restarts: 3, started: false, lastFinishedAgo: 10 * SEC },
          'restartable-init-1',
        ),
        cs(terminated(137, 'Error'), { started: false }, 'restartable-init-2'),
      ],
      statuses: [cs(terminated(0, 'Completed'), { restarts: 4, lastFinishedAgo: 20 * SEC })],
    }),
    '0/3',
    'Completed',
    '7 (10s ago)',
  ],
  [
    'sidecar test4: statuses for containers not in spec',
    pod({
      initContainers: [{ name: 'init1', image: 'initimage' }, sidecar('sidecar1')],
      containers: containers(['container1']),
      phase: 'Running',
      initStatuses: [
        cs(undefined, {}, 'initinvalid'),
        cs(undefined, {}, 'init1'),
        cs(undefined, {}, 'sidecar1'),
      ],
      statuses: [cs(undefined, {}, 'containerinvalid'), cs(undefined, {}, 'container1')],
    }),
    '0/2',
    'Init:0/2',
    '0',
  ],
];

describe('summarizePod: upstream printers_test.go cases', () => {
  for (const [what, p, ready, status, restarts] of UPSTREAM) {
    test(what, () => assert.deepEqual(summarizePod(p, NOW), { ready, status, restarts }));
  }
});
