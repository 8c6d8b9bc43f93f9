/**
 * PodDisruptionBudgets, the Eviction API, cordon/drain and PriorityClasses end to end (root): the
 * stock kubectl against a real `podbay server` running pods on this machine, its one Node.
 *  - a Deployment of 3 with `kubectl create pdb --min-available=2`: ALLOWED DISRUPTIONS 1;
 *  - two evictions sent at once: one succeeds, the other is a 429 with upstream's message;
 *  - `kubectl drain --ignore-daemonsets --delete-emptydir-data --timeout` is refused by the budget
 *    with kubectl's eviction error, then drains the node once the budget allows it (the DaemonSet
 *    pod stays, the replacement pods stay Pending on the cordoned node with FailedScheduling);
 *  - `kubectl uncordon` lets them schedule again;
 *  - a pod's priorityClassName resolves to spec.priority.
 * Everything is deleted again and the server's shutdown check proves nothing was left behind.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { waitFor } from '../../../test/e2e/harness.js';
import { PodServer } from '../../kubelet/testing/pod-server.js';

const ps = new PodServer();
const server = ps.server;

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      # Ready only after 3 s: a replacement made right after an eviction must not be counted healthy
      # before the test reads the budget (podbay starts a busybox pod in well under a second).
      containers:
      - name: c
        image: 'busybox:1.36'
        command: [sh, -c, 'sleep 3600']
        readinessProbe: {exec: {command: ['true']}, initialDelaySeconds: 3, periodSeconds: 1}
        volumeMounts: [{name: scratch, mountPath: /scratch}]
      volumes: [{name: scratch, emptyDir: {}}]
---
apiVersion: apps/v1
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

interface PodInfo {
  name: string;
  phase: string;
  node: string;
  ready: boolean;
  deleting: boolean;
}

async function pods(selector: string): Promise<PodInfo[]> {
  const list = JSON.parse(await server.k(['get', 'pods', '-l', selector, '-o', 'json']));
  return list.items.map(
    (p: {
      metadata: { name: string; deletionTimestamp?: string };
      spec: { nodeName?: string };
      status: { phase: string; conditions?: { type: string; status: string }[] };
    }) => ({
      name: p.metadata.name,
      phase: p.status.phase,
      node: p.spec.nodeName ?? '',
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      deleting: !!p.metadata.deletionTimestamp,
    }),
  );
}

const readyWeb = async (): Promise<number> =>
  (await pods('app=web')).filter((p) => p.ready && !p.deleting).length;

/** `kubectl get pdb web` as kubectl prints it: the header and the row, split on blanks. */
async function pdbRow(): Promise<string[][]> {
  return (await server.k(['get', 'pdb', 'web']))
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/));
}

const allowed = async (): Promise<string> => (await pdbRow())[1]?.[3] ?? '';

function evict(name: string) {
  const body = JSON.stringify({
    apiVersion: 'policy/v1',
    kind: 'Eviction',
    metadata: { name, namespace: 'default' },
  });
  return server.kubectl(
    ['create', '--raw', `/api/v1/namespaces/default/pods/${name}/eviction`, '-f', '-'],
    body,
  );
}

describe('PodDisruptionBudgets, eviction, drain and PriorityClasses (kubectl, root)', {
  timeout: 300_000,
}, () => {
  let node = '';

  before(async () => {
    await ps.start();
    node = JSON.parse(await server.k(['get', 'nodes', '-o', 'json'])).items[0].metadata.name;
  });

  after(async () => {
    await server.kubectl(['uncordon', node]);
    await server.kubectl([
      'delete',
      'deploy/web',
      'ds/agent',
      'pdb/web',
      'pod/prio',
      'pc/high',
      '--ignore-not-found',
      '--wait=false',
    ]);
    await waitFor(
      async () => (await pods('app in (web,agent,prio)')).length === 0,
      'pods gone',
      60_000,
    ).catch(() => {});
    await ps.close();
  });

  test('a PDB over a Deployment of 3 with minAvailable 2 allows 1 disruption', async () => {
    await server.k(['apply', '-f', '-'], DEPLOYMENT);
    await waitFor(async () => (await readyWeb()) === 3, '3 ready web pods', 90_000);
    await server.k(['create', 'pdb', 'web', '--selector=app=web', '--min-available=2']);
    await waitFor(async () => (await allowed()) === '1', 'ALLOWED DISRUPTIONS 1');
    const [header, row] = await pdbRow();
    assert.deepEqual(header, ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    assert.deepEqual(row?.slice(0, 4), ['web', '2', 'N/A', '1']);
    const pdb = JSON.parse(await server.k(['get', 'pdb', 'web', '-o', 'json']));
    assert.deepEqual(
      [pdb.status.expectedPods, pdb.status.currentHealthy, pdb.status.desiredHealthy],
      [3, 3, 2],
    );
    assert.equal(pdb.status.conditions[0].reason, 'SufficientPods');
  });

  test('two evictions at once: one is allowed, the other is a 429', async () => {
    const [a, b] = (await pods('app=web')).map((p) => p.name);
    const results = await Promise.all([evict(a!), evict(b!)]);
    const ok = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    assert.equal(ok.length, 1, JSON.stringify(results));
    assert.equal(refused.length, 1);
    assert.match(
      refused[0]!.stderr,
      /Error from server \(TooManyRequests\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(ok[0]!.stdout, /"status":\s*"Success"/);
    const pdb = JSON.parse(await server.k(['get', 'pdb', 'web', '-o', 'json']));
    assert.equal(pdb.status.disruptionsAllowed, 0);
    // The Deployment replaces the evicted pod and the budget recovers.
    await waitFor(
      async () => (await readyWeb()) === 3 && (await allowed()) === '1',
      'the budget back to 1',
      90_000,
    );
  });

  test('drain: refused by the budget (kubectl times out), then drains once allowed; DaemonSet pods stay', async () => {
    await server.k(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']);
    await waitFor(async () => (await allowed()) === '0', 'ALLOWED DISRUPTIONS 0');
    const blocked = await server.kubectl(
      ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=6s'],
      undefined,
      60_000,
    );
    assert.notEqual(blocked.code, 0, blocked.stdout);
    assert.match(blocked.stdout, new RegExp(`node/${node} cordoned`));
    assert.match(
      blocked.stderr,
      /error when evicting pods\/"web-[^"]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(blocked.stderr, /global timeout reached: 6s/);
    assert.equal((await readyWeb()) >= 3, true, 'no web pod was evicted');
    const cordoned = JSON.parse(await server.k(['get', 'node', node, '-o', 'json']));
    assert.equal(cordoned.spec.unschedulable, true);
    assert.deepEqual(
      cordoned.spec.taints.filter((t: { key: string }) => t.key === 'node.kubernetes.io/unschedulable'),
      [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
    );
    assert.match(await server.k(['get', 'nodes']), /Ready,SchedulingDisabled/);

    await server.k(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    await waitFor(async () => (await allowed()) === '3', 'ALLOWED DISRUPTIONS 3');
    const drained = await server.kubectl(
      ['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'],
      undefined,
      90_000,
    );
    assert.equal(drained.code, 0, `${drained.stdout}\n${drained.stderr}`);
    assert.match(drained.stderr, /Warning: ignoring DaemonSet-managed Pods: default\/agent-/);
    assert.match(drained.stdout, /evicting pod default\/web-/);
    assert.match(drained.stdout, new RegExp(`node/${node} drained`));
    // The DaemonSet pod stays; the Deployment's new pods wait on the cordoned node.
    assert.equal((await pods('app=agent')).filter((p) => p.phase === 'Running').length, 1);
    await waitFor(
      async () => {
        const web = await pods('app=web');
        return web.length === 3 && web.every((p) => p.node === '' && p.phase === 'Pending');
      },
      'three Pending web pods',
      30_000,
    );
    const pending = (await pods('app=web'))[0]!.name;
    await waitFor(
      async () => /0\/1 nodes are available: 1 node\(s\) were unschedulable\./.test(await ps.events(pending)),
      'FailedScheduling for the cordoned node',
    );
  });

  test('uncordon: the pending pods schedule and run again', async () => {
    const out = await server.k(['uncordon', node]);
    assert.match(out, new RegExp(`node/${node} uncordoned`));
    await waitFor(async () => (await readyWeb()) === 3, '3 ready web pods again', 90_000);
    const n = JSON.parse(await server.k(['get', 'node', node, '-o', 'json']));
    assert.equal(n.spec.unschedulable, undefined);
    assert.equal(
      (n.spec.taints ?? []).some((t: { key: string }) => t.key === 'node.kubernetes.io/unschedulable'),
      false,
    );
  });

  test('priorityClassName resolves to spec.priority', async () => {
    await server.k(['create', 'priorityclass', 'high', '--value=1000', '--preemption-policy=Never']);
    await server.k([
      'run',
      'prio',
      '--image=busybox:1.36',
      '--labels=app=prio',
      '--overrides={"spec":{"priorityClassName":"high","terminationGracePeriodSeconds":1}}',
      '--command',
      '--',
      'sleep',
      '3600',
    ]);
    assert.equal(await server.k(['get', 'pod', 'prio', '-o', 'jsonpath={.spec.priority}']), '1000');
    assert.equal(await server.k(['get', 'pod', 'prio', '-o', 'jsonpath={.spec.preemptionPolicy}']), 'Never');
    const refused = await server.kubectl([
      'run',
      'nope',
      '--image=busybox:1.36',
      '--overrides={"spec":{"priorityClassName":"missing"}}',
    ]);
    assert.match(refused.stderr, /pods "nope" is forbidden: no PriorityClass with name missing was found/);
  });

  test('a high-priority pod that does not fit preempts a lower-priority one', async () => {
    const n = JSON.parse(await server.k(['get', 'node', node, '-o', 'json']));
    const cpuMilli = (q: string): number => (q.endsWith('m') ? Number.parseInt(q, 10) : Number(q) * 1000);
    const free = cpuMilli(n.status.allocatable.cpu);
    await server.k(['create', 'priorityclass', 'low', '--value=10']);
    // `high` (preemptionPolicy Never) may not preempt: `urgent` may.
    await server.k(['create', 'priorityclass', 'urgent', '--value=100000']);
    const run = (name: string, klass: string, cpu: number) =>
      server.k([
        'run',
        name,
        '--image=busybox:1.36',
        `--labels=app=${name}`,
        `--overrides=${JSON.stringify({
          spec: {
            priorityClassName: klass,
            terminationGracePeriodSeconds: 1,
            containers: [
              {
                name,
                image: 'busybox:1.36',
                command: ['sleep', '3600'],
                resources: { requests: { cpu: `${cpu}m` } },
              },
            ],
          },
        })}`,
      ]);
    await run('hog', 'low', free - 200);
    await waitFor(async () => (await pods('app=hog'))[0]?.phase === 'Running', 'hog running', 60_000);
    await run('urgent', 'urgent', 500);
    await waitFor(async () => (await pods('app=urgent'))[0]?.phase === 'Running', 'urgent running', 60_000);
    const urgentUid = JSON.parse(await server.k(['get', 'pod', 'urgent', '-o', 'json'])).metadata.uid;
    assert.match(await ps.events('hog'), new RegExp(`Preempted by pod ${urgentUid} on node ${node}`));
    assert.equal((await pods('app=hog')).length, 0, 'the victim is gone');
  });
});
