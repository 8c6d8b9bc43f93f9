import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import { exited, generate, pod, running, setStatus } from './testing/fixtures.js';

describe('conditions', () => {
  test('reasons and messages as upstream prints them', () => {
    const p = pod({
      init: [{ name: 'a', image: 'x' }],
      containers: [
        { name: 'c1', image: 'x' },
        { name: 'c2', image: 'x' },
      ],
    });
    const { status } = generate(p, [running('a')]);
    const byType = new Map(status.conditions?.map((c) => [c.type, c]));
    assert.deepEqual(
      [...byType.keys()],
      ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'],
    );
    assert.equal(byType.get('Initialized')?.message, 'containers with incomplete status: [a]');
    assert.equal(byType.get('ContainersReady')?.message, 'containers with unready status: [c1 c2]');
    assert.equal(byType.get('Ready')?.reason, 'ContainersNotReady');
    assert.equal(byType.get('PodReadyToStartContainers')?.status, 'True');
  });

  test('lastTransitionTime is kept while a condition does not change', () => {
    const p: Pod = pod({});
    setStatus(p, {
      phase: 'Running',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' },
        { type: 'ContainersReady', status: 'False', lastTransitionTime: '2026-01-01T00:04:00Z' },
      ],
    });
    const { status } = generate(p, [running('app')]);
    const byType = new Map(status.conditions?.map((c) => [c.type, c]));
    assert.equal(byType.get('Ready')?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(byType.get('ContainersReady')?.lastTransitionTime, '2026-01-01T00:10:00Z');
  });

  test('readiness gates', () => {
    const p: Pod = pod({});
    p.spec = {
      ...p.spec,
      containers: p.spec?.containers ?? [],
      readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }],
    };
    setStatus(p, { conditions: [{ type: 'example.com/dns', status: 'False' }] });
    const { status } = generate(p, [running('app')]);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.reason, 'ReadinessGatesNotReady');
    assert.equal(
      ready?.message,
      'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/dns" is not "True", but False',
    );
    assert.equal(status.conditions?.[0]?.type, 'example.com/dns', 'foreign conditions are preserved first');
  });

  test('no sandbox yet: PodReadyToStartContainers False', () => {
    const { status } = generate(pod({}), [], { sandbox: false });
    assert.equal(status.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status, 'False');
    assert.equal(status.podIP, undefined);
  });

  test('a terminal phase is never left', () => {
    const p: Pod = pod({ restartPolicy: 'Never' });
    setStatus(p, { phase: 'Failed', reason: 'Evicted' });
    const { status } = generate(p, [running('app')]);
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, 'Evicted');
  });

  test('a finished init container whose runtime record was removed keeps its terminated status', () => {
    const p: Pod = pod({
      init: [
        { name: 'init-a', image: 'x' },
        { name: 'init-b', image: 'x' },
      ],
    });
    const done = { exitCode: 0, reason: 'Completed', finishedAt: '2026-01-01T00:02:00Z' };
    setStatus(p, {
      phase: 'Pending',
      initContainerStatuses: [
        {
          name: 'init-a',
          image: 'x',
          imageID: 'i',
          ready: true,
          restartCount: 0,
          state: { terminated: done },
        },
      ],
    });
    const got = generate(p, [running('init-b')]);
    assert.deepEqual(got.status.initContainerStatuses?.[0]?.state?.terminated, done);
    assert.equal(got.column, 'Init:1/2');
  });

  test('a deleted pod whose containers were stopped ends Failed, and reads Terminating before', () => {
    const p: Pod = {
      ...pod({}),
      metadata: { ...pod({}).metadata, deletionTimestamp: '2026-01-01T00:09:00Z' },
    };
    const stopping = generate(p, [running('app')]);
    assert.equal(stopping.column, 'Terminating');
    const stopped = generate(p, [exited('app', 143, 'Error')], { terminal: true });
    assert.equal(stopped.status.phase, 'Failed');
    assert.equal(
      stopped.status.containerStatuses?.[0]?.state?.waiting,
      undefined,
      'a deleted pod restarts nothing',
    );
  });

  test('a vanished running container is reported as ContainerStatusUnknown', () => {
    const p: Pod = pod({});
    setStatus(p, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          image: 'x',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: '2026-01-01T00:01:00Z' } },
        },
      ],
    });
    const { status } = generate(p, []);
    const cs = status.containerStatuses?.[0];
    assert.equal(cs?.lastState?.terminated?.reason, 'ContainerStatusUnknown');
    assert.equal(cs?.restartCount, 1);
    assert.equal(status.phase, 'Running');
  });
});
