import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { openTestRegistry } from '../testing/registry.js';
import { scaleSubresource } from './scale.js';

describe('deployments/scale', () => {
  const { store, registry } = openTestRegistry();
  after(() => store.close());
  registry.create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'd', namespace: 'default' },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'b' }] } },
    },
  });
  const deps = { registry, clock: { now: () => new Date() }, subresources: new Map(), log: () => {} };
  const r = {
    group: 'apps',
    version: 'v1',
    namespace: 'default',
    resource: 'deployments',
    name: 'd',
    subresource: 'scale',
  };
  const call = async (method: string, query: string, contentType: string, body: unknown) => {
    const req = Object.assign(Readable.from([Buffer.from(JSON.stringify(body))]), {
      method,
      headers: { 'content-type': contentType },
    }) as unknown as IncomingMessage;
    let status = 0;
    let text = '';
    const res = {
      headersSent: false,
      writeHead: (code: number) => {
        status = code;
      },
      end: (b: Buffer) => {
        text = b.toString();
      },
    } as unknown as ServerResponse;
    await scaleSubresource(
      deps,
      req,
      res,
      r,
      new URL(`https://localhost/x?${query}`),
      registry.strategy('deployments'),
    );
    return {
      status,
      scale: JSON.parse(text) as { metadata: { resourceVersion: string }; spec: { replicas: number } },
    };
  };
  const replicas = () =>
    (registry.mustGet('deployments', 'default', 'd').object.spec as { replicas: number }).replicas;

  test('a patch carrying a stale resourceVersion is a 409 (it was applied), as for the object itself', async () => {
    const ok = await call('PATCH', '', 'application/merge-patch+json', { spec: { replicas: 2 } });
    assert.equal(ok.scale.spec.replicas, 2);
    await assert.rejects(
      call('PATCH', '', 'application/merge-patch+json', {
        metadata: { resourceVersion: '1' },
        spec: { replicas: 5 },
      }),
      (e: Error & { code?: number }) => e.code === 409,
    );
    assert.equal(replicas(), 2);
    const cur = ok.scale.metadata.resourceVersion;
    await call('PATCH', '', 'application/merge-patch+json', {
      metadata: { resourceVersion: cur },
      spec: { replicas: 3 },
    });
    assert.equal(replicas(), 3);
  });

  test('options are validated (dryRun=all was a dry run) and an unknown patch type is a 415', async () => {
    await assert.rejects(
      call('PUT', 'dryRun=all', 'application/json', { spec: { replicas: 7 } }),
      (e: Error & { code?: number }) =>
        e.code === 422 &&
        e.message ===
          'UpdateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"all"}: supported values: "All"',
    );
    await assert.rejects(
      call('PATCH', '', 'text/plain', { spec: { replicas: 7 } }),
      (e: Error & { code?: number }) => e.code === 415,
    );
    await assert.rejects(
      call('PATCH', 'force=true', 'application/merge-patch+json', { spec: { replicas: 7 } }),
      (e: Error & { code?: number }) => e.code === 422,
    );
    assert.equal(replicas(), 3);
  });
});
