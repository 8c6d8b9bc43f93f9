import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { summarizePod } from './pod-status.js';
import {
  condition,
  containers,
  cs,
  HOUR,
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

const initialized = condition('Initialized', 'True');
const twoInits = containers(['init-config', 'init-db']);

// One pod per init-container and native-sidecar STATUS, shaped as the kubelet reports it.
const INIT_STATUSES: readonly Fixture[] = [
  [
    'Init:0/2: first init container running',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [cs(running()), cs(waiting('PodInitializing'))],
      statuses: [cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'Init:0/2',
    '0',
  ],
  [
    'Init:1/2: second init container running',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [cs(terminated(0, 'Completed')), cs(running())],
      statuses: [cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'Init:1/2',
    '0',
  ],
  [
    'Init:1/2: second init container waiting without reason',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [cs(terminated(0, 'Completed')), cs(waiting())],
    }),
    '0/1',
    'Init:1/2',
    '0',
  ],
  [
    'Init:CrashLoopBackOff',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [
        cs(waiting('CrashLoopBackOff'), { restarts: 3, lastFinishedAgo: 40 * SEC }),
        cs(waiting('PodInitializing')),
      ],
    }),
    '0/1',
    'Init:CrashLoopBackOff',
    '3 (40s ago)',
  ],
  [
    'Init:Error',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [cs(terminated(1, 'Error')), cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'Init:Error',
    '0',
  ],
  [
    'Init:ExitCode:3 (terminated without reason)',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      initStatuses: [cs(terminated(3)), cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'Init:ExitCode:3',
    '0',
  ],
  [
    'Init:Signal:9 (signal wins over exit code)',
    pod({ initContainers: twoInits, phase: 'Pending', initStatuses: [cs(terminated(137, undefined, 9))] }),
    '0/1',
    'Init:Signal:9',
    '0',
  ],
  [
    'Init:ImagePullBackOff',
    pod({ initContainers: twoInits, phase: 'Pending', initStatuses: [cs(waiting('ImagePullBackOff'))] }),
    '0/1',
    'Init:ImagePullBackOff',
    '0',
  ],
  [
    'Init:Error on a failed pod',
    pod({
      initContainers: twoInits,
      phase: 'Failed',
      initStatuses: [cs(terminated(1, 'Error')), cs(waiting('PodInitializing'))],
      statuses: [cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'Init:Error',
    '0',
  ],
  [
    'PodInitializing: inits done, app not created yet',
    pod({
      initContainers: twoInits,
      phase: 'Pending',
      conditions: [initialized],
      initStatuses: [cs(terminated(0, 'Completed')), cs(terminated(0, 'Completed'))],
      statuses: [cs(waiting('PodInitializing'))],
    }),
    '0/1',
    'PodInitializing',
    '0',
  ],
  [
    'native sidecar running while app starts',
    pod({
      initContainers: [sidecar('proxy')],
      containers: containers(['app']),
      phase: 'Pending',
      conditions: [initialized],
      initStatuses: [cs(running(), { ready: true, started: true }, 'proxy')],
      statuses: [cs(waiting('ContainerCreating'), {}, 'app')],
    }),
    '1/2',
    'ContainerCreating',
    '0',
  ],
  [
    'native sidecar and app running',
    pod({
      initContainers: [sidecar('proxy')],
      containers: containers(['app']),
      phase: 'Running',
      conditions: [initialized, condition('Ready', 'True')],
      initStatuses: [cs(running(), { ready: true, started: true }, 'proxy')],
      statuses: [cs(running(), { ready: true }, 'app')],
    }),
    '2/2',
    'Running',
    '0',
  ],
  [
    'native sidecar started but not ready',
    pod({
      initContainers: [sidecar('proxy')],
      containers: containers(['app']),
      phase: 'Running',
      conditions: [initialized],
      initStatuses: [cs(running(), { ready: false, started: true }, 'proxy')],
      statuses: [cs(running(), { ready: true }, 'app')],
    }),
    '1/2',
    'Running',
    '0',
  ],
  [
    'native sidecar not started blocks the next init container',
    pod({
      initContainers: [sidecar('proxy'), { name: 'migrate', image: 'img' }],
      containers: containers(['app']),
      phase: 'Pending',
      initStatuses: [
        cs(running(), { started: false }, 'proxy'),
        cs(waiting('PodInitializing'), {}, 'migrate'),
      ],
      statuses: [cs(waiting('PodInitializing'), {}, 'app')],
    }),
    '0/2',
    'Init:0/2',
    '0',
  ],
  [
    'sidecar started, then a regular init container runs',
    pod({
      initContainers: [sidecar('proxy'), { name: 'migrate', image: 'img' }],
      containers: containers(['app']),
      phase: 'Pending',
      initStatuses: [cs(running(), { ready: true, started: true }, 'proxy'), cs(running(), {}, 'migrate')],
      statuses: [cs(waiting('PodInitializing'), {}, 'app')],
    }),
    '1/2',
    'Init:1/2',
    '0',
  ],
  [
    'sidecar restarts count after init; finished init restarts do not',
    pod({
      initContainers: [{ name: 'migrate', image: 'img' }, sidecar('proxy')],
      containers: containers(['app']),
      phase: 'Running',
      conditions: [initialized, condition('Ready', 'True')],
      initStatuses: [
        cs(terminated(0, 'Completed'), { restarts: 1, lastFinishedAgo: 2 * HOUR }, 'migrate'),
        cs(running(), { ready: true, started: true, restarts: 2, lastFinishedAgo: MIN }, 'proxy'),
      ],
      statuses: [cs(running(), { ready: true }, 'app')],
    }),
    '2/2',
    'Running',
    '2 (60s ago)',
  ],
];

describe('summarizePod: init containers and native sidecars', () => {
  for (const [what, p, ready, status, restarts] of INIT_STATUSES) {
    test(what, () => assert.deepEqual(summarizePod(p, NOW), { ready, status, restarts }));
  }
});
