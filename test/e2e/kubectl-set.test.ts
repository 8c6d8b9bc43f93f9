/**
 * `kubectl set image|env|resources` on every workload kind: kubectl sends a strategic merge patch with
 * `$setElementOrder` for the pod template's containers, which the server must merge by container name
 * (it failed for Jobs and CronJobs: "doesn't match $setElementOrder list"; a Job's template is then
 * immutable, as upstream). API only: nothing runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TestServer } from './harness.js';

describe('kubectl set on every workload kind', () => {
  const srv = new TestServer();
  before(async () => {
    await srv.start();
    await srv.k(['create', 'deployment', 'web', '--image=nginx']);
    await srv.k(['create', 'job', 'once', '--image=busybox', '--', 'date']);
    await srv.k(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--', 'date']);
    await srv.k(
      ['create', '-f', '-'],
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: { containers: [{ name: 'agent', image: 'busybox', command: ['sleep', '3600'] }] },
          },
        },
      }),
    );
  });
  after(() => srv.destroy());

  const template: Record<string, string> = {
    'deployment/web': '{.spec.template.spec.containers[0]}',
    'cronjob/tick': '{.spec.jobTemplate.spec.template.spec.containers[0]}',
    'daemonset/agent': '{.spec.template.spec.containers[0]}',
  };

  test('set image, env and resources patch the template’s container by name', async () => {
    for (const [target, path] of Object.entries(template)) {
      const name = JSON.parse(await srv.k(['get', target, '-o', `jsonpath=${path}`])).name as string;
      await srv.k(['set', 'image', target, `${name}=busybox:1.36`]);
      await srv.k(['set', 'env', target, 'MODE=fast']);
      await srv.k(['set', 'resources', target, '--limits=cpu=200m,memory=64Mi']);
      const c = JSON.parse(await srv.k(['get', target, '-o', `jsonpath=${path}`]));
      assert.equal(c.image, 'busybox:1.36', target);
      assert.deepEqual(c.env, [{ name: 'MODE', value: 'fast' }], target);
      assert.deepEqual(c.resources.limits, { cpu: '200m', memory: '64Mi' }, target);
    }
  });

  test('a Job’s template is merged too, then refused: it is immutable, as upstream', async () => {
    const r = await srv.kubectl(['set', 'image', 'job/once', 'once=busybox:1.36']);
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /Job\.batch "once" is invalid: spec\.template: Invalid value: .*: field is immutable/,
    );
    assert.doesNotMatch(r.stderr, /setElementOrder/);
  });
});
