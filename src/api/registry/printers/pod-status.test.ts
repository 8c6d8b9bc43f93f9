import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { podRowConditions, summarizePod } from './pod-status.js';
import {
  ago,
  condition,
  containers,
  cs,
  DAY,
  HOUR,
  MIN,
  NOW,
  pod,
  running,
  SEC,
  terminated,
  waiting,
} from './testing/pod-fixtures.js';

/** [what, pod, READY, STATUS, RESTARTS] */
type Fixture = readonly [string, Pod, string, string, string];

const initialized = condition('Initialized', 'True');

// One pod per STATUS string of regular containers `kubectl get pods` shows, shaped as the
// kubelet reports it (init containers and sidecars: pod-status.init.test.ts).
const STATUSES: readonly Fixture[] = [
  ['Pending: not scheduled yet', pod({ phase: 'Pending' }), '0/1', 'Pending', '0'],
  [
    'ContainerCreating',
    pod({ phase: 'Pending', conditions: [initialized], statuses: [cs(waiting('ContainerCreating'))] }),
    '0/1',
    'ContainerCreating',
    '0',
  ],
  [
    'Running',
    pod({
      phase: 'Running',
      conditions: [initialized, condition('Ready', 'True')],
      statuses: [cs(running(), { ready: true })],
    }),
    '1/1',
    'Running',
    '0',
  ],
  [
    'Running but failing readiness',
    pod({
      phase: 'Running',
      conditions: [condition('Ready', 'False')],
      statuses: [cs(running(), { ready: false })],
    }),
    '0/1',
    'Running',
    '0',
  ],
  [
    'NotReady: one container completed, one running',
    pod({
      containers: containers(['job', 'proxy']),
      phase: 'Running',
      conditions: [condition('Ready', 'False')],
      statuses: [cs(terminated(0, 'Completed')), cs(running(), { ready: true })],
    }),
    '1/2',
    'NotReady',
    '0',
  ],
  [
    'CrashLoopBackOff with restarts "2 (5m ago)"',
    pod({
      phase: 'Running',
      statuses: [cs(waiting('CrashLoopBackOff'), { restarts: 2, lastFinishedAgo: 5 * MIN })],
    }),
    '0/1',
    'CrashLoopBackOff',
    '2 (5m ago)',
  ],
  [
    'first container decides over the second',
    pod({
      containers: containers(['app', 'log-shipper']),
      phase: 'Running',
      statuses: [
        cs(waiting('CrashLoopBackOff'), { restarts: 1, lastFinishedAgo: 90 * SEC }),
        cs(waiting('ImagePullBackOff')),
      ],
    }),
    '0/2',
    'CrashLoopBackOff',
    '1 (90s ago)',
  ],
  ['Error', pod({ phase: 'Failed', statuses: [cs(terminated(1, 'Error'))] }), '0/1', 'Error', '0'],
  [
    'Completed',
    pod({ phase: 'Succeeded', statuses: [cs(terminated(0, 'Completed'))] }),
    '0/1',
    'Completed',
    '0',
  ],
  [
    'OOMKilled',
    pod({
      phase: 'Running',
      statuses: [cs(terminated(137, 'OOMKilled'), { restarts: 1, lastFinishedAgo: 3 * HOUR })],
    }),
    '0/1',
    'OOMKilled',
    '1 (3h ago)',
  ],
  [
    'ExitCode:2 (terminated without reason)',
    pod({ phase: 'Failed', statuses: [cs(terminated(2))] }),
    '0/1',
    'ExitCode:2',
    '0',
  ],
  [
    'Signal:15',
    pod({ phase: 'Failed', statuses: [cs(terminated(143, undefined, 15))] }),
    '0/1',
    'Signal:15',
    '0',
  ],
  [
    'ImagePullBackOff',
    pod({ phase: 'Pending', statuses: [cs(waiting('ImagePullBackOff'))] }),
    '0/1',
    'ImagePullBackOff',
    '0',
  ],
  [
    'ErrImagePull',
    pod({ phase: 'Pending', statuses: [cs(waiting('ErrImagePull'))] }),
    '0/1',
    'ErrImagePull',
    '0',
  ],
  [
    'CreateContainerConfigError',
    pod({ phase: 'Pending', statuses: [cs(waiting('CreateContainerConfigError'))] }),
    '0/1',
    'CreateContainerConfigError',
    '0',
  ],
  ['Evicted', pod({ phase: 'Failed', reason: 'Evicted' }), '0/1', 'Evicted', '0'],
  [
    'Evicted, but a container reason is printed first',
    pod({ phase: 'Failed', reason: 'Evicted', statuses: [cs(terminated(137, 'ContainerStatusUnknown'))] }),
    '0/1',
    'ContainerStatusUnknown',
    '0',
  ],
  [
    'SchedulingGated',
    pod({ phase: 'Pending', conditions: [condition('PodScheduled', 'False', 'SchedulingGated')] }),
    '0/1',
    'SchedulingGated',
    '0',
  ],
  [
    'Terminating',
    pod({ phase: 'Running', deleting: true, statuses: [cs(running(), { ready: true })] }),
    '1/1',
    'Terminating',
    '0',
  ],
  [
    'Terminating overrides a waiting reason',
    pod({ phase: 'Pending', deleting: true, statuses: [cs(waiting('ContainerCreating'))] }),
    '0/1',
    'Terminating',
    '0',
  ],
  [
    'Failed pod being deleted keeps its reason',
    pod({ phase: 'Failed', deleting: true, statuses: [cs(terminated(1, 'Error'))] }),
    '0/1',
    'Error',
    '0',
  ],
  [
    'Unknown: node lost while deleting',
    pod({ phase: 'Running', reason: 'NodeLost', deleting: true, statuses: [cs(running(), { ready: true })] }),
    '1/1',
    'Unknown',
    '0',
  ],
  [
    'NodeLost reason without deletion',
    pod({ phase: 'Running', reason: 'NodeLost', statuses: [cs(running(), { ready: true })] }),
    '1/1',
    'NodeLost',
    '0',
  ],
  [
    'restarts without a recorded finish time print the bare count',
    pod({ phase: 'Running', statuses: [cs(running(), { ready: true, restarts: 4 })] }),
    '1/1',
    'Running',
    '4',
  ],
  [
    'no status at all',
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bare' }, spec: { containers: containers(2) } },
    '0/2',
    '',
    '0',
  ],
];

describe('summarizePod: one fixture per STATUS string', () => {
  for (const [what, p, ready, status, restarts] of STATUSES) {
    test(what, () => assert.deepEqual(summarizePod(p, NOW), { ready, status, restarts }));
  }
});

describe('summarizePod: bad stored data', () => {
  test('a malformed finishedAt is an InternalError naming the container status field', () => {
    const p = pod({ phase: 'Running', statuses: [cs(running(), { restarts: 1 })] });
    p.status!.containerStatuses![0]!.lastState = { terminated: { exitCode: 1, finishedAt: 'not-a-time' } };
    assert.throws(
      () => summarizePod(p, NOW),
      /status\.containerStatuses\[0\]\.lastState\.terminated\.finishedAt: invalid RFC 3339 timestamp "not-a-time"/,
    );
  });
  test('restart time is taken from lastState, at its own precision', () => {
    const p = pod({ phase: 'Running', statuses: [cs(running(), { ready: true, restarts: 1 })] });
    p.status!.containerStatuses![0]!.lastState = {
      terminated: { exitCode: 1, finishedAt: ago(7 * DAY + 23 * HOUR) },
    };
    assert.equal(summarizePod(p, NOW).restarts, '1 (7d23h ago)');
  });
});

describe('podRowConditions', () => {
  test('Completed row condition for finished pods only', () => {
    assert.deepEqual(podRowConditions(pod({ phase: 'Succeeded' })), [
      {
        type: 'Completed',
        status: 'True',
        reason: 'Succeeded',
        message: 'The pod has completed successfully.',
      },
    ]);
    assert.deepEqual(podRowConditions(pod({ phase: 'Failed' })), [
      { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
    ]);
    assert.deepEqual(podRowConditions(pod({ phase: 'Running' })), []);
  });
});
