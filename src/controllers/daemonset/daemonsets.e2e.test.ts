/**
 * apps/v1 DaemonSets end to end (root): the stock kubectl against a real `podbay server` running
 * pods (kubelet testing/pod-server.ts) on this machine, its one Node. `kubectl create -f` puts one
 * pod on the node and it runs; `kubectl set image` replaces it, `rollout status` returns, `rollout
 * history` lists two ControllerRevisions and `rollout undo` goes back to the first template;
 * a nodeSelector that matches no node gives DESIRED 0. Everything is deleted again and the
 * server's shutdown check proves nothing was left on the machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

const MANIFEST = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: 'busybox:1.36', command: [sh, -c, 'sleep 3600']}]
`;

async function pods(): Promise<{ name: string; image: string; phase: string; deleting: boolean }[]> {
  const list = JSON.parse(await server.k(['get', 'pods', '-l', 'app=agent', '-o', 'json']));
  return list.items.map(
    (p: {
      metadata: { name: string; deletionTimestamp?: string };
      spec: { containers: { image: string }[] };
      status: { phase: string };
    }) => ({
      name: p.metadata.name,
      image: p.spec.containers[0]!.image,
      phase: p.status.phase,
      deleting: !!p.metadata.deletionTimestamp,
    }),
  );
}

async function rolloutStatus(): Promise<string> {
  const r = await server.kubectl(['rollout', 'status', 'ds/agent', '--timeout=90s'], undefined, 100_000);
  assert.equal(r.code, 0, `rollout status: ${r.stderr}\n${await server.k(['get', 'ds,pods', '-o', 'wide'])}`);
  return r.stdout;
}

describe('apps/v1 DaemonSets (kubectl, root)', { timeout: 240_000 }, () => {
  before(async () => {
    await ps.start();
  });

  after(async () => {
    await ps.close();
  });

  test('create: one pod on the node, Running; get ds columns; rollout status', async () => {
    await server.k(['create', '-f', '-'], MANIFEST);
    assert.match(await rolloutStatus(), /daemon set "agent" successfully rolled out/);
    const running = await pods();
    assert.equal(running.length, 1);
    assert.equal(running[0]!.phase, 'Running');
    const pod = JSON.parse(await server.k(['get', 'pod', running[0]!.name, '-o', 'json']));
    const node = JSON.parse(await server.k(['get', 'nodes', '-o', 'json'])).items[0].metadata.name;
    assert.equal(pod.spec.nodeName, node);
    assert.deepEqual(
      pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms,
      [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
    );
    assert.equal(pod.metadata.ownerReferences[0].kind, 'DaemonSet');
    const table = (await server.k(['get', 'ds'])).split('\n');
    assert.deepEqual(table[0]?.trim().split(/\s+/), [
      'NAME',
      'DESIRED',
      'CURRENT',
      'READY',
      'UP-TO-DATE',
      'AVAILABLE',
      'NODE',
      'SELECTOR',
      'AGE',
    ]);
    assert.deepEqual(
      (await server.k(['get', 'ds', 'agent', '--no-headers'])).trim().split(/\s+/).slice(0, 7),
      ['agent', '1', '1', '1', '1', '1', '<none>'],
    );
    assert.match(await server.k(['get', 'all']), /daemonset\.apps\/agent/);
    const revs = await server.k(['get', 'controllerrevisions', '--no-headers']);
    assert.match(revs, /^agent-\S+\s+daemonset\.apps\/agent\s+1\s+/);
  });

  test('set image replaces the pod; history shows 2 revisions; undo goes back', async () => {
    const [before] = await pods();
    await server.k(['set', 'image', 'ds/agent', 'c=busybox:1.37']);
    await rolloutStatus();
    await waitFor(
      async () => {
        const now = (await pods()).filter((p) => !p.deleting);
        return now.length === 1 && now[0]!.image === 'busybox:1.37' && now[0]!.phase === 'Running';
      },
      'the pod replaced with busybox:1.37',
      60_000,
    );
    assert.ok(!(await pods()).some((p) => p.name === before!.name && !p.deleting), 'the old pod went');
    const history = await server.k(['rollout', 'history', 'ds/agent']);
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const rev2 = await server.k(['rollout', 'history', 'ds/agent', '--revision=2']);
    assert.match(rev2, /busybox:1\.37/);
    assert.match(await server.k(['rollout', 'undo', 'ds/agent']), /daemonset\.apps\/agent rolled back/);
    await rolloutStatus();
    await waitFor(
      async () => {
        const now = (await pods()).filter((p) => !p.deleting);
        return now.length === 1 && now[0]!.image === 'busybox:1.36' && now[0]!.phase === 'Running';
      },
      'the pod back on busybox:1.36',
      60_000,
    );
    // The first template's revision is renumbered 3, as upstream does.
    assert.match(await server.k(['rollout', 'history', 'ds/agent']), /\n2\s+<none>\n3\s+<none>/);
    assert.match(await server.k(['rollout', 'restart', 'ds/agent']), /daemonset\.apps\/agent restarted/);
    await rolloutStatus();
    const describe = await server.k(['describe', 'ds', 'agent']);
    assert.match(describe, /Normal\s+SuccessfulCreate\s+\S+\s+daemonset-controller\s+Created pod: agent-/);
    assert.match(describe, /Normal\s+SuccessfulDelete\s+\S+\s+daemonset-controller\s+Deleted pod: agent-/);
  });

  test('a nodeSelector matching no node: DESIRED 0, no pods', async () => {
    await server.k(
      ['create', '-f', '-'],
      `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: nowhere}
spec:
  selector: {matchLabels: {app: nowhere}}
  template:
    metadata: {labels: {app: nowhere}}
    spec:
      nodeSelector: {disk: ssd}
      containers: [{name: c, image: busybox}]
`,
    );
    await waitFor(
      async () =>
        JSON.parse(await server.k(['get', 'ds', 'nowhere', '-o', 'json'])).status?.observedGeneration === 1,
      'nowhere observed',
      30_000,
    );
    const row = (await server.k(['get', 'ds', 'nowhere', '--no-headers'])).trim().split(/\s+/);
    assert.deepEqual(row.slice(0, 7), ['nowhere', '0', '0', '0', '0', '0', 'disk=ssd']);
    assert.equal((await server.k(['get', 'pods', '-l', 'app=nowhere', '-o', 'name'])).trim(), '');
  });

  test('delete: pods and revisions go with the DaemonSets', async () => {
    await server.k(['delete', 'ds', 'agent', 'nowhere']);
    await waitFor(async () => (await pods()).length === 0, 'agent pods gone', 60_000);
    await waitFor(
      async () => (await server.k(['get', 'controllerrevisions', '-o', 'name'])).trim() === '',
      'revisions collected',
      30_000,
    );
  });
});
