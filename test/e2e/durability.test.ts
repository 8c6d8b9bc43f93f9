/**
 * Durability: objects survive a clean restart; after `kill -9` in the middle of a burst of
 * creates, every create that was acknowledged (201) is there and the server serves again;
 * SIGTERM exits 0 and ends open watches.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { TestServer } from './harness.js';

describe('restart and crash', () => {
  const srv = new TestServer();
  after(() => srv.destroy());

  test('a clean restart keeps objects, resourceVersions and the same PKI', async () => {
    await srv.start();
    await srv.k(['create', 'configmap', 'keep', '--from-literal=a=1']);
    const before = JSON.parse(await srv.k(['get', 'cm', 'keep', '-o', 'json']));
    const ca = srv.kubeconfig;
    const code = await srv.stop('SIGTERM');
    assert.equal(code, 0, `SIGTERM exits 0:\n${srv.stderr}`);
    await srv.start();
    assert.ok(ca);
    const after = JSON.parse(await srv.k(['get', 'cm', 'keep', '-o', 'json']));
    assert.equal(after.metadata.uid, before.metadata.uid);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(after.data, { a: '1' });
  });

  test('kill -9 during a burst of creates loses no acknowledged write', async () => {
    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 2000 && !stop; i++) {
        const name = `burst-${w}-${i}`;
        try {
          const r = await srv.request(
            'POST',
            '/api/v1/namespaces/default/configmaps',
            JSON.stringify({
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name },
              data: { i: String(i) },
            }),
          );
          if (r.status === 201) acked.push(name);
        } catch {
          return; // the server is gone: this writer is done
        }
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(await srv.stop('SIGKILL'), 'SIGKILL');
    stop = true;
    await Promise.all(writers);
    assert.ok(acked.length > 10, `the burst was under way (${acked.length} acknowledged)`);
    await srv.start();
    const list = JSON.parse((await srv.request('GET', '/api/v1/namespaces/default/configmaps')).body);
    const present = new Set(list.items.map((i: { metadata: { name: string } }) => i.metadata.name));
    const lost = acked.filter((n) => !present.has(n));
    assert.deepEqual(lost, [], 'every 201 survives kill -9');
    for (const item of list.items)
      assert.ok(item.metadata.uid && item.metadata.resourceVersion, 'no half-written object');
    assert.match(await srv.k(['get', 'cm', 'keep', '-o', 'name']), /configmap\/keep/);
  });
});
