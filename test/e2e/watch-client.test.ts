/**
 * Watches through a real Kubernetes client library (@kubernetes/client-node, an informer-grade
 * client): resume from a resourceVersion delivers exactly the later changes, and a resume from
 * a compacted revision gets 410 Expired.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { TestServer } from './harness.js';

interface Seen {
  type: string;
  name: string;
  rv: string;
}

function watchOnce(
  kc: KubeConfig,
  path: string,
  rv: string,
  until: (s: Seen[]) => boolean,
  timeoutMs = 10_000,
) {
  const seen: Seen[] = [];
  return new Promise<{ seen: Seen[]; err?: unknown; status?: { code?: number; reason?: string } }>(
    (resolve) => {
      let done = false;
      let abort: { abort(): void } | undefined;
      const finish = (r: { seen: Seen[]; err?: unknown; status?: { code?: number; reason?: string } }) => {
        if (done) return;
        done = true;
        clearTimeout(t);
        abort?.abort();
        resolve(r);
      };
      const t = setTimeout(() => finish({ seen }), timeoutMs);
      new Watch(kc)
        .watch(
          path,
          { resourceVersion: rv },
          (type, obj) => {
            if (type === 'ERROR') return finish({ seen, status: obj });
            seen.push({ type, name: obj.metadata?.name, rv: obj.metadata?.resourceVersion });
            if (until(seen)) finish({ seen });
          },
          (err) => finish({ seen, err }),
        )
        .then(
          (c) => {
            abort = c;
            if (done) c.abort();
          },
          (err) => finish({ seen, err }),
        );
    },
  );
}

describe('watch via @kubernetes/client-node', () => {
  const srv = new TestServer();
  const kc = new KubeConfig();
  before(async () => {
    await srv.start('127.0.0.1:0', ['--default-watch-cache-size', '20']);
    kc.loadFromFile(srv.kubeconfig);
  });
  after(() => srv.destroy());

  test('resume from a resourceVersion: exactly the later changes, in order, no replay', async () => {
    await srv.k(['create', 'configmap', 'w-a']);
    const list = JSON.parse((await srv.request('GET', '/api/v1/namespaces/default/configmaps')).body);
    const rv = list.metadata.resourceVersion;
    await srv.k(['create', 'configmap', 'w-b']);
    await srv.k(['label', 'configmap', 'w-a', 'x=1']);
    await srv.k(['delete', 'configmap', 'w-b']);
    const r = await watchOnce(kc, '/api/v1/namespaces/default/configmaps', rv, (s) => s.length >= 3);
    assert.deepEqual(
      r.seen.map((s) => `${s.type} ${s.name}`),
      ['ADDED w-b', 'MODIFIED w-a', 'DELETED w-b'],
    );
    const rvs = r.seen.map((s) => Number(s.rv));
    assert.deepEqual(
      rvs,
      [...rvs].sort((a, b) => a - b),
    );
    assert.ok(rvs[0]! > Number(rv));
  });

  test('a resume older than the retained history gets 410 Expired', async () => {
    const start = JSON.parse((await srv.request('GET', '/api/v1/namespaces/default/configmaps')).body)
      .metadata.resourceVersion;
    for (let i = 0; i < 40; i++) {
      await srv.request(
        'POST',
        '/api/v1/namespaces/default/configmaps',
        JSON.stringify({ metadata: { name: `churn-${i}` } }),
      );
    }
    const r = await watchOnce(kc, '/api/v1/namespaces/default/configmaps', start, () => false, 5_000);
    assert.equal(r.status?.code, 410, JSON.stringify(r));
    assert.equal(r.status?.reason, 'Expired');
  });
});
