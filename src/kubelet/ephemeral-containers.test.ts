import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EphemeralContainer, Pod } from 'kubernetes-types/core/v1';
import { buildContainerConfig } from './container-config.js';
import {
  ephemeralContainersToStart,
  TargetContainerNotFound,
  targetContainerId,
} from './ephemeral-containers.js';
import { containerFieldPath } from './kubelet-deps.js';
import type { ObservedPod } from './observed.js';
import { computePodActions } from './pod-actions.js';
import { specOf } from './pod-termination.js';
import { exited, generate, running, SANDBOX, pod as statusPod } from './status/testing/fixtures.js';

const dbg = (name: string, extra: Partial<EphemeralContainer> = {}): EphemeralContainer => ({
  name,
  image: 'busybox',
  command: ['sh'],
  stdin: true,
  tty: true,
  ...extra,
});

function withEphemeral(p: Pod, ephemeral: EphemeralContainer[]): Pod {
  return { ...p, spec: { ...p.spec!, ephemeralContainers: ephemeral } };
}

const observed = (containers: ObservedPod['containers'], sandbox = true): ObservedPod => ({
  ...(sandbox && { sandbox: SANDBOX }),
  containers,
});

describe('computePodActions: ephemeral containers', () => {
  test('a new one is started once the sandbox is ready, even before initialization', () => {
    const p = withEphemeral(statusPod({ init: [{ name: 'init', image: 'busybox' }] }), [dbg('d1')]);
    const a = computePodActions(p, observed([running('init')]));
    assert.deepEqual(a.ephemeralContainersToStart, ['d1']);
    assert.deepEqual(a.initContainersToStart, []);
    assert.equal(a.killPod, false);
  });

  test('none is started with the sandbox being created (the next sync starts it)', () => {
    const p = withEphemeral(statusPod({}), [dbg('d1')]);
    const a = computePodActions(p, observed([], false));
    assert.equal(a.createSandbox, true);
    assert.deepEqual(a.ephemeralContainersToStart, []);
  });

  test('never restarted: exited or running instances (from any sandbox) hold it back', () => {
    const p = withEphemeral(statusPod({}), [dbg('d1'), dbg('d2'), dbg('d3')]);
    const a = computePodActions(p, observed([running('app'), exited('d1', 1), running('d2')]));
    assert.deepEqual(a.ephemeralContainersToStart, ['d3']);
    assert.deepEqual(a.containersToStart, []);
    assert.deepEqual(a.containersToKill, []);
  });

  test('a running ephemeral container does not keep a finished pod alive', () => {
    const p = withEphemeral(statusPod({ restartPolicy: 'Never' }), [dbg('d1')]);
    const a = computePodActions(p, observed([exited('app', 0), running('d1')]));
    assert.equal(a.killPod, true);
  });

  test('ephemeralContainersToStart keeps spec order', () => {
    const p = withEphemeral(statusPod({}), [dbg('b'), dbg('a')]);
    assert.deepEqual(ephemeralContainersToStart(p, observed([])), ['b', 'a']);
  });
});

describe('targetContainerId', () => {
  test("the target's current instance, which must be running", () => {
    const app = running('app');
    assert.equal(targetContainerId(dbg('d', { targetContainerName: 'app' }), observed([app])), app.id);
    assert.equal(targetContainerId(dbg('d'), observed([app])), undefined);
    assert.throws(
      () => targetContainerId(dbg('d', { targetContainerName: 'app' }), observed([exited('app', 0)])),
      (e: unknown) =>
        e instanceof TargetContainerNotFound && e.message === 'unable to find target container app',
    );
    assert.throws(
      () => targetContainerId(dbg('d', { targetContainerName: 'app' }), observed([])),
      TargetContainerNotFound,
    );
  });
});

describe('ephemeral containers elsewhere in the kubelet', () => {
  const p = withEphemeral(statusPod({ init: [{ name: 'init', image: 'busybox' }] }), [
    dbg('d1', { targetContainerName: 'app' }),
  ]);

  test('events name them spec.ephemeralContainers{name}', () => {
    assert.equal(containerFieldPath(p, 'd1'), 'spec.ephemeralContainers{d1}');
    assert.equal(containerFieldPath(p, 'init'), 'spec.initContainers{init}');
    assert.equal(containerFieldPath(p, 'app'), 'spec.containers{app}');
  });

  test('termination finds their spec (without targetContainerName)', () => {
    const spec = specOf(p, 'd1');
    assert.equal(spec?.name, 'd1');
    assert.equal('targetContainerName' in (spec ?? {}), false);
  });

  test('the runtime config joins the target PID namespace and is labelled ephemeral', async () => {
    const built = await buildContainerConfig({
      pod: p,
      container: specOf(p, 'd1')!,
      type: 'ephemeral',
      pidNamespaceTargetId: 'abc123',
      restartCount: 0,
      image: {
        reference: 'busybox',
        pattern: 'busybox',
        entrypoint: [],
        cmd: ['sh'],
        env: [],
        stopSignal: 'SIGTERM',
        packages: [],
      },
      volumes: new Map(),
      lookups: { configMap: () => undefined, secret: () => undefined, services: () => [] },
      addresses: { hostIPs: ['192.168.1.10'], podIPs: ['10.88.0.5'] },
      allocatable: {},
    });
    assert.deepEqual(built.config.securityContext?.namespaceOptions, { pid: 'TARGET', targetId: 'abc123' });
    assert.equal(built.config.labels?.['io.kubernetes.container.type'], 'ephemeral');
    assert.equal(built.config.stdin, true);
    assert.equal(built.config.tty, true);
    assert.deepEqual(built.config.argv, ['sh']);
    assert.equal(built.config.logPath, 'd1/0.log');
  });
});

describe('ephemeralContainerStatuses', () => {
  test('waiting, running and terminated like containerStatuses, sorted by name, never ready', () => {
    const p = withEphemeral(statusPod({}), [dbg('zeta'), dbg('alpha'), dbg('mid')]);
    const { status, ready, column } = generate(p, [running('app'), running('zeta'), exited('mid', 0)]);
    const eph = status.ephemeralContainerStatuses ?? [];
    assert.deepEqual(
      eph.map((s) => s.name),
      ['alpha', 'mid', 'zeta'],
    );
    assert.deepEqual(eph[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(eph[1]?.state?.terminated?.reason, 'Completed');
    assert.ok(eph[2]?.state?.running?.startedAt);
    assert.ok(eph.every((s) => s.ready === false && s.started === undefined));
    // They take no part in the pod's readiness, phase or table cells.
    assert.equal(status.phase, 'Running');
    assert.equal(ready, '1/1');
    assert.equal(column, 'Running');
  });

  test('a start failure shows as waiting (e.g. the target is not running)', () => {
    const p = withEphemeral(statusPod({}), [dbg('d1', { targetContainerName: 'app' })]);
    const { status } = generate(p, [exited('app', 1)], {
      failures: [
        ['d1', { reason: 'CreateContainerConfigError', message: 'unable to find target container app' }],
      ],
    });
    assert.deepEqual(status.ephemeralContainerStatuses?.[0]?.state, {
      waiting: { reason: 'CreateContainerConfigError', message: 'unable to find target container app' },
    });
  });

  test('absent when the pod has none', () => {
    assert.equal(generate(statusPod({}), [running('app')]).status.ephemeralContainerStatuses, undefined);
  });
});
