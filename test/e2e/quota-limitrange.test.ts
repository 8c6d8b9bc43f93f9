/**
 * ResourceQuota and LimitRange with the stock kubectl, as a CKAD candidate uses them: `kubectl
 * create quota`, `get quota` / `describe quota` with used and hard, pods refused with upstream's
 * messages (must specify, exceeded quota, over a LimitRange max), a deleted pod freeing its slot,
 * LimitRange defaults on a new pod, and `kubectl explain limitrange.spec.limits`. API-only engine:
 * admission happens in the API server, no pod needs to run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer } from './harness.js';

const pod = (name: string, resources?: Record<string, Record<string, string>>) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'busybox', ...(resources ? { resources } : {}) }] },
  });
const small = { requests: { cpu: '300m' }, limits: { memory: '256Mi' } };

describe('ResourceQuota and LimitRange with kubectl', () => {
  const srv = new TestServer();
  before(async () => {
    await srv.start();
    await srv.k(['create', 'namespace', 'quota']);
    await srv.k(['create', 'namespace', 'limits']);
  });
  after(() => srv.destroy());

  /** Waits until the quota controller has counted the quota (status.used set). */
  async function counted(ns: string, name: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const used = await srv.k(['get', 'quota', name, '-n', ns, '-o', 'jsonpath={.status.used}']);
      if (used !== '') return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail('quota never counted');
  }

  test('create, get and describe a quota', async () => {
    const created = await srv.k([
      'create',
      'quota',
      'q',
      '-n',
      'quota',
      '--hard=pods=2,requests.cpu=1,limits.memory=1Gi',
    ]);
    assert.equal(created, 'resourcequota/q created\n');
    await counted('quota', 'q');
    const get = await srv.k(['get', 'quota', '-n', 'quota']);
    assert.match(get, /^NAME\s+AGE\s+REQUEST\s+LIMIT\n/);
    assert.match(get, /\nq\s+\S+\s+pods: 0\/2, requests\.cpu: 0\/1\s+limits\.memory: 0\/1Gi\n$/);
    const describe = await srv.k(['describe', 'quota', 'q', '-n', 'quota']);
    assert.match(describe, /Resource\s+Used\s+Hard\n\s*--------\s+----\s+----\n/);
    assert.match(describe, /limits\.memory\s+0\s+1Gi\n/);
    assert.match(describe, /pods\s+0\s+2\n/);
    assert.match(describe, /requests\.cpu\s+0\s+1\n/);
  });

  test('a pod without requests is refused; pods up to the limit, then the next refused', async () => {
    const bare = await srv.kubectl(['create', '-n', 'quota', '-f', '-'], pod('bare'));
    assert.notEqual(bare.code, 0);
    assert.equal(
      bare.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "bare" is forbidden: failed quota: q: must specify limits.memory for: app; requests.cpu for: app',
    );
    await srv.k(['create', '-n', 'quota', '-f', '-'], pod('one', small));
    await srv.k(['create', '-n', 'quota', '-f', '-'], pod('two', small));
    const third = await srv.kubectl(['create', '-n', 'quota', '-f', '-'], pod('three', small));
    assert.notEqual(third.code, 0);
    assert.equal(
      third.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "three" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
    );
    const describe = await srv.k(['describe', 'quota', 'q', '-n', 'quota']);
    assert.match(describe, /limits\.memory\s+512Mi\s+1Gi\n/);
    assert.match(describe, /pods\s+2\s+2\n/);
    assert.match(describe, /requests\.cpu\s+600m\s+1\n/);
  });

  test('deleting a pod frees its slot', async () => {
    await srv.k(['delete', 'pod', 'one', '-n', 'quota', '--wait=false']);
    for (let i = 0; ; i++) {
      const r = await srv.kubectl(['create', '-n', 'quota', '-f', '-'], pod('three', small));
      if (r.code === 0) break;
      if (i > 100) assert.fail(`the slot was never freed: ${r.stderr}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    const get = await srv.k(['get', 'quota', 'q', '-n', 'quota', '-o', 'jsonpath={.status.used.pods}']);
    assert.equal(get, '2');
  });

  test('LimitRange defaults a new pod and refuses one over its max', async () => {
    const lr = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'lr' },
      spec: {
        limits: [
          {
            type: 'Container',
            max: { cpu: '1' },
            default: { cpu: '500m', memory: '256Mi' },
            defaultRequest: { cpu: '100m', memory: '128Mi' },
          },
        ],
      },
    };
    assert.equal(
      await srv.k(['apply', '-n', 'limits', '-f', '-'], JSON.stringify(lr)),
      'limitrange/lr created\n',
    );
    assert.match(await srv.k(['get', 'limits', '-n', 'limits']), /^NAME\s+CREATED AT\nlr\s+\d{4}-\d\d-\d\dT/);
    await srv.k(['run', 'web', '-n', 'limits', '--image=busybox']);
    const resources = await srv.k([
      'get',
      'pod',
      'web',
      '-n',
      'limits',
      '-o',
      'jsonpath={.spec.containers[0].resources}',
    ]);
    assert.deepEqual(JSON.parse(resources), {
      limits: { cpu: '500m', memory: '256Mi' },
      requests: { cpu: '100m', memory: '128Mi' },
    });
    const note = await srv.k([
      'get',
      'pod',
      'web',
      '-n',
      'limits',
      '-o',
      'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}',
    ]);
    assert.equal(
      note,
      'LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web',
    );
    const big = await srv.kubectl(
      ['create', '-n', 'limits', '-f', '-'],
      pod('big', { limits: { cpu: '2' } }),
    );
    assert.notEqual(big.code, 0);
    assert.equal(
      big.stderr.trim(),
      'Error from server (Forbidden): error when creating "STDIN": pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2',
    );
  });

  test('deleting a namespace deletes its quotas and limit ranges', async () => {
    await srv.k(['delete', 'namespace', 'quota', 'limits', '--wait=true', '--timeout=30s']);
    const left = await srv.k(['get', 'quota,limits', '-A', '-o', 'name']);
    assert.equal(left, '');
  });

  test('kubectl explain limitrange.spec.limits', async () => {
    const out = await srv.k(['explain', 'limitrange.spec.limits']);
    assert.match(out, /^KIND:\s+LimitRange\nVERSION:\s+v1\n\nFIELD: limits <\[\]LimitRangeItem>/);
    assert.match(out, /\n {2}type\t<string> -required-\n/);
    assert.match(out, /\n {2}defaultRequest\t<map\[string\]Quantity>\n/);
    const quota = await srv.k(['explain', 'quota.spec.scopeSelector']);
    assert.match(quota, /FIELD: scopeSelector <ScopeSelector>/);
  });
});
