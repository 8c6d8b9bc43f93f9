import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ControllerRevision, DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { prepareDaemonSetForUpdate } from '../../api/registry/daemonsets/template-generation.js';
import type { KubeObject } from '../../api/types.js';
import { type Harness, newHarness, setPodReady } from '../testing/harness.js';
import { DaemonSetController } from './controller.js';
import type { DS } from './history.js';

type P = Pod & KubeObject;

function daemonSet(name: string, patch: (d: DaemonSet) => void = () => {}): DS {
  const ds: DS = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'busybox:1' }], restartPolicy: 'Always' },
      },
    },
  };
  patch(ds);
  return ds;
}

function node(h: Harness, name: string, patch: (n: Node) => void = () => {}): void {
  const n: Node & KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  };
  patch(n);
  h.client.create('nodes', n);
}

const livePods = (h: Harness): P[] => h.client.list<P>('pods').filter((p) => !p.metadata.deletionTimestamp);
const dsOf = (h: Harness, name = 'agent') => h.client.get<DS>('daemonsets', 'default', name)!;
const revisions = (h: Harness) =>
  h.client
    .list<ControllerRevision & KubeObject>('controllerrevisions')
    .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));

/** Plays the scheduler and kubelet: binds the pod to its pinned node, Running and Ready. */
function runPod(h: Harness, pod: P): void {
  const node =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]
      ?.matchFields?.[0]?.values?.[0];
  if (!pod.spec?.nodeName) h.client.bind('default', pod.metadata.name!, node!);
  setPodReady(h, pod);
}

/** A template change as the API makes it: the registry's prepareForUpdate bumps the generation. */
function updateTemplate(h: Harness, name: string, change: (d: DaemonSet) => void): void {
  const old = dsOf(h, name);
  const next = structuredClone(old);
  change(next);
  prepareDaemonSetForUpdate(next, old);
  h.client.update('daemonsets', next);
}

describe('DaemonSetController', () => {
  let stop = () => {};
  afterEach(() => stop());

  const start = (h: Harness) => {
    stop = h.run(new DaemonSetController(h.deps, { resyncPeriodMs: 0 }));
  };

  test('one pod per node, pinned by node affinity, with tolerations, hash and generation labels', async () => {
    const h = newHarness();
    node(h, 'n1');
    node(h, 'n2');
    start(h);
    const ds = h.client.create('daemonsets', daemonSet('agent'));
    await h.settle();
    const pods = livePods(h);
    assert.equal(pods.length, 2);
    const [rev] = revisions(h);
    assert.ok(rev);
    const hash = rev.metadata!.labels!['controller-revision-hash']!;
    assert.equal(rev.metadata!.name, `agent-${hash}`);
    assert.equal(rev.revision, 1);
    assert.deepEqual(rev.metadata!.ownerReferences![0]!.uid, ds.metadata.uid);
    assert.deepEqual(
      (rev.data as { spec: { template: { $patch: string } } }).spec.template.$patch,
      'replace',
    );
    const pinned = pods
      .map(
        (p) =>
          p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
      )
      .map((t) => t?.[0]?.matchFields?.[0]);
    assert.deepEqual(pinned.map((f) => f?.values?.[0]).sort(), ['n1', 'n2'], 'one pod pinned to each node');
    assert.equal(pinned[0]?.key, 'metadata.name');
    for (const p of pods) {
      assert.match(p.metadata.name!, /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.deepEqual(p.metadata.labels, {
        app: 'agent',
        'controller-revision-hash': hash,
        'pod-template-generation': '1',
      });
      assert.deepEqual(
        p.spec?.tolerations?.map((t) => `${t.key}:${t.operator}:${t.effect}`),
        [
          'node.kubernetes.io/not-ready:Exists:NoExecute',
          'node.kubernetes.io/unreachable:Exists:NoExecute',
          'node.kubernetes.io/disk-pressure:Exists:NoSchedule',
          'node.kubernetes.io/memory-pressure:Exists:NoSchedule',
          'node.kubernetes.io/pid-pressure:Exists:NoSchedule',
          'node.kubernetes.io/unschedulable:Exists:NoSchedule',
        ],
      );
    }
    assert.equal(h.events.lines('SuccessfulCreate').length, 2);
    let st = dsOf(h).status!;
    assert.deepEqual(
      [st.desiredNumberScheduled, st.currentNumberScheduled, st.numberReady, st.updatedNumberScheduled],
      [2, 2, 0, 2],
    );
    for (const p of pods) runPod(h, p);
    await h.settle();
    st = dsOf(h).status!;
    assert.deepEqual(
      [st.numberReady, st.numberAvailable, st.numberUnavailable, st.observedGeneration],
      [2, 2, 0, 1],
    );
  });

  test('nodeSelector matching nothing: desired 0, no pods', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create(
      'daemonsets',
      daemonSet('agent', (d) => {
        d.spec!.template.spec!.nodeSelector = { disk: 'ssd' };
      }),
    );
    await h.settle();
    assert.equal(livePods(h).length, 0);
    assert.equal(dsOf(h).status?.desiredNumberScheduled, 0);
  });

  test('taints: an untolerated NoSchedule taint keeps new pods off; hostNetwork tolerates network-unavailable', async () => {
    const h = newHarness();
    node(h, 'tainted', (n) => {
      n.spec = { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] };
    });
    node(h, 'netdown', (n) => {
      n.spec = { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] };
    });
    node(h, 'cordoned', (n) => {
      n.spec = {
        unschedulable: true,
        taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
      };
    });
    start(h);
    h.client.create(
      'daemonsets',
      daemonSet('agent', (d) => {
        d.spec!.template.spec!.hostNetwork = true;
      }),
    );
    await h.settle();
    const nodes = livePods(h)
      .map((p) => p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
      .map((r) => r?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0])
      .sort();
    assert.deepEqual(nodes, ['cordoned', 'netdown']);
    assert.equal(dsOf(h).status?.desiredNumberScheduled, 2);
  });

  test('a NoExecute taint evicts a running daemon pod; a NoSchedule one does not', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create('daemonsets', daemonSet('agent'));
    await h.settle();
    const [pod] = livePods(h);
    runPod(h, pod!);
    const n1 = h.client.get<Node & KubeObject>('nodes', '', 'n1')!;
    h.client.update('nodes', { ...n1, spec: { taints: [{ key: 'x', effect: 'NoSchedule' }] } });
    await h.settle();
    assert.equal(livePods(h).length, 1, 'NoSchedule: the running pod stays');
    assert.equal(dsOf(h).status?.desiredNumberScheduled, 0);
    assert.equal(dsOf(h).status?.numberMisscheduled, 1);
    const n1b = h.client.get<Node & KubeObject>('nodes', '', 'n1')!;
    h.client.update('nodes', { ...n1b, spec: { taints: [{ key: 'x', effect: 'NoExecute' }] } });
    await h.settle();
    assert.equal(livePods(h).length, 0, 'NoExecute: deleted');
  });

  test('RollingUpdate (maxUnavailable 1): one node at a time, a second revision, history kept', async () => {
    const h = newHarness();
    node(h, 'n1');
    node(h, 'n2');
    start(h);
    h.client.create('daemonsets', daemonSet('agent'));
    await h.settle();
    for (const p of livePods(h)) runPod(h, p);
    await h.settle();
    updateTemplate(h, 'agent', (d) => {
      d.spec!.template.spec!.containers[0]!.image = 'busybox:2';
    });
    await h.settle();
    // One old pod deleted, its replacement created; the other old pod waits.
    let pods = livePods(h);
    const images = () =>
      livePods(h)
        .map((p) => p.spec!.containers[0]!.image)
        .sort();
    assert.deepEqual(images(), ['busybox:1', 'busybox:2']);
    assert.equal(h.events.lines('SuccessfulDelete').length, 1);
    for (const p of pods) if (p.spec!.containers[0]!.image === 'busybox:2') runPod(h, p);
    await h.settle();
    assert.deepEqual(images(), ['busybox:2', 'busybox:2']);
    pods = livePods(h);
    for (const p of pods) if (!p.spec?.nodeName) runPod(h, p);
    await h.settle();
    const st = dsOf(h).status!;
    assert.deepEqual(
      [st.desiredNumberScheduled, st.updatedNumberScheduled, st.numberAvailable, st.observedGeneration],
      [2, 2, 2, 2],
    );
    const revs = revisions(h);
    assert.deepEqual(
      revs.map((r) => r.revision),
      [1, 2],
    );
    assert.ok(livePods(h).every((p) => p.metadata.labels!['pod-template-generation'] === '2'));
    assert.ok(
      livePods(h).every(
        (p) =>
          p.metadata.labels!['controller-revision-hash'] ===
          revs[1]!.metadata!.labels!['controller-revision-hash'],
      ),
    );
  });

  test('rolling back to the first template renumbers its revision instead of making a new one', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create('daemonsets', daemonSet('agent'));
    await h.settle();
    const first = revisions(h)[0]!.metadata!.name;
    updateTemplate(h, 'agent', (d) => {
      d.spec!.template.spec!.containers[0]!.image = 'busybox:2';
    });
    await h.settle();
    updateTemplate(h, 'agent', (d) => {
      d.spec!.template.spec!.containers[0]!.image = 'busybox:1';
    });
    await h.settle();
    assert.deepEqual(
      revisions(h).map((r) => [r.metadata!.name === first, r.revision]),
      [
        [false, 2],
        [true, 3],
      ],
    );
  });

  test('RollingUpdate with maxSurge: the new pod starts beside the old one, which goes once it is available', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create(
      'daemonsets',
      daemonSet('agent', (d) => {
        d.spec!.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
      }),
    );
    await h.settle();
    const [old] = livePods(h);
    runPod(h, old!);
    await h.settle();
    updateTemplate(h, 'agent', (d) => {
      d.spec!.template.spec!.containers[0]!.image = 'busybox:2';
    });
    await h.settle();
    const images = () =>
      livePods(h)
        .map((p) => p.spec!.containers[0]!.image)
        .sort();
    assert.deepEqual(images(), ['busybox:1', 'busybox:2'], 'surged: both on the node');
    const fresh = livePods(h).find((p) => p.spec!.containers[0]!.image === 'busybox:2')!;
    runPod(h, fresh);
    await h.settle();
    assert.deepEqual(images(), ['busybox:2'], 'the old pod goes once the new one is available');
  });

  test('OnDelete: a template change replaces nothing until the pod is deleted', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create(
      'daemonsets',
      daemonSet('agent', (d) => {
        d.spec!.updateStrategy = { type: 'OnDelete' };
      }),
    );
    await h.settle();
    const [pod] = livePods(h);
    runPod(h, pod!);
    updateTemplate(h, 'agent', (d) => {
      d.spec!.template.spec!.containers[0]!.image = 'busybox:2';
    });
    await h.settle();
    assert.deepEqual(
      livePods(h).map((p) => p.metadata.name),
      [pod!.metadata.name],
    );
    assert.equal(dsOf(h).status?.updatedNumberScheduled, 0);
    h.client.delete('pods', 'default', pod!.metadata.name!, { gracePeriodSeconds: 0 });
    await h.settle();
    assert.deepEqual(
      livePods(h).map((p) => p.spec!.containers[0]!.image),
      ['busybox:2'],
    );
  });

  test('a failed daemon pod is killed with FailedDaemonPod and replaced', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create('daemonsets', daemonSet('agent'));
    await h.settle();
    const [pod] = livePods(h);
    runPod(h, pod!);
    const cur = h.client.get<P>('pods', 'default', pod!.metadata.name!)!;
    h.client.updateStatus('pods', { ...cur, status: { ...cur.status, phase: 'Failed' } });
    await h.settle();
    assert.deepEqual(h.events.lines('FailedDaemonPod'), [
      `Warning FailedDaemonPod Found failed daemon pod default/${pod!.metadata.name} on node n1, will try to kill it`,
    ]);
    const pods = livePods(h);
    assert.equal(pods.length, 1);
    assert.notEqual(pods[0]!.metadata.name, pod!.metadata.name);
  });

  test('revisionHistoryLimit: old revisions no pod runs are deleted, oldest first', async () => {
    const h = newHarness();
    node(h, 'n1');
    start(h);
    h.client.create(
      'daemonsets',
      daemonSet('agent', (d) => {
        d.spec!.revisionHistoryLimit = 1;
      }),
    );
    await h.settle();
    for (const image of ['busybox:2', 'busybox:3', 'busybox:4']) {
      for (const p of livePods(h)) if (!p.spec?.nodeName) runPod(h, p);
      updateTemplate(h, 'agent', (d) => {
        d.spec!.template.spec!.containers[0]!.image = image;
      });
      await h.settle();
    }
    for (const p of livePods(h)) if (!p.spec?.nodeName) runPod(h, p);
    await h.settle();
    assert.deepEqual(
      revisions(h).map((r) => r.revision),
      [3, 4],
    );
  });
});
