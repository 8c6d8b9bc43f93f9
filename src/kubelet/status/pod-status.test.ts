import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ObservedContainer } from '../observed.js';
import type { StartFailure } from './container-statuses.js';
import type { ProbeView } from './probe-view.js';
import { backoff, exited, generate, pod, running } from './testing/fixtures.js';

describe('STATUS column for generated statuses', () => {
  const twoInits = [
    { name: 'init-a', image: 'busybox' },
    { name: 'init-b', image: 'busybox' },
  ];
  const cases: {
    name: string;
    pod: Pod;
    observed: ObservedContainer[];
    failures?: [string, StartFailure][];
    want: string;
    phase: string;
  }[] = [
    {
      name: 'nothing started, with init containers',
      pod: pod({ init: twoInits }),
      observed: [],
      want: 'Init:0/2',
      phase: 'Pending',
    },
    {
      name: 'first init running',
      pod: pod({ init: twoInits }),
      observed: [running('init-a')],
      want: 'Init:0/2',
      phase: 'Pending',
    },
    {
      name: 'first init done, second running',
      pod: pod({ init: twoInits }),
      observed: [exited('init-a', 0), running('init-b')],
      want: 'Init:1/2',
      phase: 'Pending',
    },
    {
      name: 'inits done, app not yet created',
      pod: pod({ init: twoInits }),
      observed: [exited('init-a', 0), exited('init-b', 0)],
      want: 'PodInitializing',
      phase: 'Pending',
    },
    {
      name: 'app running',
      pod: pod({ init: twoInits }),
      observed: [exited('init-a', 0), exited('init-b', 0), running('app')],
      want: 'Running',
      phase: 'Running',
    },
    {
      name: 'no init, nothing created',
      pod: pod({}),
      observed: [],
      want: 'ContainerCreating',
      phase: 'Pending',
    },
    {
      name: 'app in back-off',
      pod: pod({}),
      observed: [exited('app', 1, 'Error', 1)],
      failures: [backoff('app')],
      want: 'CrashLoopBackOff',
      phase: 'Running',
    },
    {
      name: 'init in back-off',
      pod: pod({ init: twoInits }),
      observed: [exited('init-a', 1, 'Error', 2)],
      failures: [backoff('init-a')],
      want: 'Init:CrashLoopBackOff',
      phase: 'Pending',
    },
    {
      name: 'init failed, restartPolicy Never',
      pod: pod({ init: twoInits, restartPolicy: 'Never' }),
      observed: [exited('init-a', 1)],
      want: 'Init:Error',
      phase: 'Failed',
    },
    {
      name: 'app failed, Never',
      pod: pod({ restartPolicy: 'Never' }),
      observed: [exited('app', 2)],
      want: 'Error',
      phase: 'Failed',
    },
    {
      name: 'app completed, Never',
      pod: pod({ restartPolicy: 'Never' }),
      observed: [exited('app', 0)],
      want: 'Completed',
      phase: 'Succeeded',
    },
    {
      name: 'app OOM-killed, Never',
      pod: pod({ restartPolicy: 'Never' }),
      observed: [exited('app', 137, 'OOMKilled')],
      want: 'OOMKilled',
      phase: 'Failed',
    },
    {
      name: 'app exited before back-off decided, Always',
      pod: pod({}),
      observed: [exited('app', 1, 'Error')],
      want: 'Error',
      phase: 'Running',
    },
    {
      name: 'image cannot be resolved',
      pod: pod({}),
      observed: [],
      failures: [['app', { reason: 'ErrImagePull', message: 'x' }]],
      want: 'ErrImagePull',
      phase: 'Pending',
    },
    {
      name: 'config error',
      pod: pod({}),
      observed: [],
      failures: [['app', { reason: 'CreateContainerConfigError', message: 'configmap "x" not found' }]],
      want: 'CreateContainerConfigError',
      phase: 'Pending',
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = generate(c.pod, c.observed, { failures: c.failures });
      assert.equal(got.column, c.want);
      assert.equal(got.status.phase, c.phase);
    });
  }
});

describe('container statuses', () => {
  test('previous instance becomes lastState, restart count from the runtime', () => {
    const first = exited('app', 1, 'Error', 0);
    const second = running('app', 1);
    const { status, restarts, ready } = generate(pod({}), [first, second]);
    const cs = status.containerStatuses?.[0];
    assert.equal(cs?.restartCount, 1);
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
    assert.equal(cs?.lastState?.terminated?.reason, 'Error');
    assert.equal(cs?.lastState?.terminated?.finishedAt, '2026-01-01T00:02:00Z');
    assert.equal(cs?.lastState?.terminated?.containerID, `podbay://${first.id}`);
    assert.equal(cs?.state?.running?.startedAt, '2026-01-01T00:01:00Z');
    assert.equal(cs?.containerID, `podbay://${second.id}`);
    assert.equal(cs?.imageID, 'podbay.local/busybox@sha256:1');
    assert.equal(cs?.started, true);
    assert.equal(cs?.ready, true);
    assert.equal(ready, '1/1');
    assert.match(String(restarts), /^1 \(/);
  });

  test('back-off moves the terminated state to lastState with the upstream message', () => {
    const { status } = generate(pod({}), [exited('app', 1, 'Error', 3)], { failures: [backoff('app')] });
    const cs = status.containerStatuses?.[0];
    assert.deepEqual(cs?.state?.waiting, {
      reason: 'CrashLoopBackOff',
      message: 'back-off 10s restarting failed container=app pod=p_default(u1)',
    });
    assert.equal(cs?.lastState?.terminated?.exitCode, 1);
  });

  test('readiness probe gates ready, startup probe gates started', () => {
    const app = running('app');
    const p = pod({ containers: [{ name: 'app', image: 'x', readinessProbe: {}, startupProbe: {} }] });
    const none = generate(p, [app]);
    assert.equal(none.status.containerStatuses?.[0]?.started, false);
    assert.equal(none.status.containerStatuses?.[0]?.ready, false);
    assert.equal(none.ready, '0/1');
    const probes: ProbeView = { startup: () => 'Success', readiness: () => 'Success' };
    const both = generate(p, [app], { probes });
    assert.equal(both.status.containerStatuses?.[0]?.ready, true);
    const ready = both.status.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'True');
  });

  test('regular statuses are sorted by name, init statuses by spec order', () => {
    const p = pod({
      init: [
        { name: 'z-init', image: 'x' },
        { name: 'a-init', image: 'x' },
      ],
      containers: [
        { name: 'web', image: 'x' },
        { name: 'api', image: 'x' },
      ],
    });
    const { status } = generate(p, []);
    assert.deepEqual(
      status.containerStatuses?.map((s) => s.name),
      ['api', 'web'],
    );
    assert.deepEqual(
      status.initContainerStatuses?.map((s) => s.name),
      ['z-init', 'a-init'],
    );
    assert.equal(status.containerStatuses?.[0]?.state?.waiting?.reason, 'PodInitializing');
  });
});

describe('native sidecars', () => {
  const sidecarPod = pod({
    init: [
      { name: 'proxy', image: 'x', restartPolicy: 'Always' },
      { name: 'setup', image: 'x' },
    ],
    containers: [{ name: 'app', image: 'x' }],
  });
  test('a started sidecar counts as initialized and in READY', () => {
    const got = generate(sidecarPod, [running('proxy'), running('setup')]);
    assert.equal(got.column, 'Init:1/2');
    assert.equal(got.status.phase, 'Pending');
    const done = generate(sidecarPod, [running('proxy'), exited('setup', 0), running('app')]);
    assert.equal(done.column, 'Running');
    assert.equal(done.ready, '2/2');
    assert.equal(done.status.phase, 'Running');
  });
  test('a restarting sidecar does not send a started pod back to Pending', () => {
    const got = generate(sidecarPod, [exited('proxy', 1, 'Error'), exited('setup', 0), running('app')], {
      failures: [backoff('proxy')],
    });
    assert.equal(got.status.phase, 'Running');
    assert.equal(got.status.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });
  test('a pod whose app completed is Succeeded even though the sidecar was stopped', () => {
    const p = {
      ...sidecarPod,
      spec: { ...sidecarPod.spec, restartPolicy: 'Never', containers: sidecarPod.spec?.containers ?? [] },
    };
    const got = generate(p, [exited('proxy', 143, 'Error'), exited('setup', 0), exited('app', 0)], {
      terminal: true,
    });
    assert.equal(got.status.phase, 'Succeeded');
    assert.equal(got.column, 'Completed');
  });
});

describe('pod IPs', () => {
  test('a pod on the bridge reports its sandbox IP; the host IP is the node', () => {
    const { status } = generate(pod({}), [running('app')]);
    assert.equal(status.hostIP, '192.168.1.10');
    assert.notEqual(status.podIP, '192.168.1.10');
    assert.ok(status.podIP, 'pod IP from the sandbox');
  });

  test('a hostNetwork pod inherits the node IPs as pod IPs, even before its sandbox exists', () => {
    const p = pod({});
    p.spec = { ...p.spec, containers: p.spec?.containers ?? [], hostNetwork: true };
    for (const sandbox of [true, false]) {
      const { status } = generate(p, sandbox ? [running('app')] : [], { sandbox });
      assert.equal(status.podIP, '192.168.1.10');
      assert.deepEqual(status.podIPs, [{ ip: '192.168.1.10' }]);
    }
  });
});
