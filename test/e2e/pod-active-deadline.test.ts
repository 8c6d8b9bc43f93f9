/**
 * spec.activeDeadlineSeconds end to end (root): a real `podbay server --run-pods` and the stock
 * kubectl. A pod running `sleep 3600` with activeDeadlineSeconds: 3 is failed by the kubelet at its
 * deadline as upstream's (active_deadline.go): phase Failed, reason DeadlineExceeded, its container
 * killed and never restarted, a Normal DeadlineExceeded event; `kubectl describe` shows it all. A
 * deadline lowered on a running pod (the one spec change pod updates allow here) applies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PodServer } from '../../src/kubelet/testing/pod-server.js';
import { waitFor } from './harness.js';

const MESSAGE = 'Pod was active on the node longer than the specified deadline';

describe('pod spec.activeDeadlineSeconds (kubectl, root)', { timeout: 120_000 }, () => {
  const ps = new PodServer();
  const server = ps.server;
  before(async () => ps.start());
  after(async () => ps.close());

  test('a pod running sleep 3600 with activeDeadlineSeconds: 3 ends Failed/DeadlineExceeded', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: deadline}
spec:
  activeDeadlineSeconds: 3
  terminationGracePeriodSeconds: 2
  containers: [{name: app, image: busybox, command: [sleep, '3600']}]
`);
    await waitFor(async () => (await ps.getPod('deadline')).status?.phase === 'Running', 'deadline Running');
    const started = Date.parse((await ps.getPod('deadline')).status?.startTime ?? '');
    await waitFor(
      async () =>
        (await ps.getPod('deadline')).status?.containerStatuses?.[0]?.state?.terminated !== undefined,
      'deadline failed and its container terminated',
      20_000,
    );
    const failedAt = Date.now();
    // The deadline is 3 s after startTime (whole seconds, so at most 3 s after the real start).
    assert.ok(failedAt - started >= 3000, `failed ${failedAt - started} ms after startTime`);
    const pod = await ps.getPod('deadline');
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.reason, 'DeadlineExceeded');
    assert.equal(pod.status?.message, MESSAGE);
    const app = pod.status?.containerStatuses?.[0];
    assert.equal(app?.ready, false);
    assert.ok([137, 143].includes(app?.state?.terminated?.exitCode ?? -1), JSON.stringify(app?.state));
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Ready')?.reason, 'PodFailed');

    const described = await server.k(['describe', 'pod', 'deadline']);
    assert.match(described, /^Status:\s+Failed$/m);
    assert.match(described, /^Reason:\s+DeadlineExceeded$/m);
    assert.match(described, new RegExp(`^Message:\\s+${MESSAGE}$`, 'm'));
    assert.match(described, /^\s+State:\s+Terminated$/m);
    assert.match(described, new RegExp(`Normal\\s+DeadlineExceeded\\s+.*kubelet\\s+${MESSAGE}`));
    assert.match(described, /Normal\s+Killing\s+.*Stopping container app/);
    const events = await ps.events('deadline');
    assert.equal(events.match(/DeadlineExceeded/g)?.length, 1, events);

    // restartPolicy Always does not bring it back: it stays Failed with its container stopped.
    await new Promise((r) => setTimeout(r, 3000));
    const later = await ps.getPod('deadline');
    assert.equal(later.status?.phase, 'Failed');
    assert.equal(later.status?.containerStatuses?.[0]?.restartCount, 0);
    assert.ok(later.status?.containerStatuses?.[0]?.state?.terminated);
    await ps.deleteAndVerifyGone('deadline');
  });

  test('a deadline lowered on a running pod applies', async () => {
    await ps.apply(`apiVersion: v1
kind: Pod
metadata: {name: lowered}
spec:
  activeDeadlineSeconds: 3600
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: busybox, command: [sleep, '3600']}]
`);
    await waitFor(async () => (await ps.getPod('lowered')).status?.phase === 'Running', 'lowered Running');
    await server.k(['patch', 'pod', 'lowered', '-p', '{"spec":{"activeDeadlineSeconds":1}}']);
    await waitFor(
      async () => (await ps.getPod('lowered')).status?.reason === 'DeadlineExceeded',
      'lowered failed by its new deadline',
      10_000,
    );
    assert.equal((await ps.getPod('lowered')).status?.phase, 'Failed');
    await ps.deleteAndVerifyGone('lowered');
  });
});
