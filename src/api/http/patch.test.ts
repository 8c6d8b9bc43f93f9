/**
 * PATCH preconditions: a metadata.resourceVersion carried by the patch or by the apply
 * configuration is a precondition of the write (a stale one is a 409 Conflict and changes
 * nothing), as upstream; without one the patch applies to what is stored now.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, test } from 'node:test';
import { expectApiError } from '../testing/api-errors.js';
import { openTestRegistry } from '../testing/registry.js';
import { applyPatchRequest } from './patch.js';

describe('PATCH with a resourceVersion in the body', () => {
  const { store, registry } = openTestRegistry();
  after(() => store.close());
  const s = registry.strategy('configmaps');
  const r = {
    group: '',
    version: 'v1',
    namespace: 'default',
    resource: 'configmaps',
    name: 'c',
    subresource: '',
  };
  const res = { setHeader() {}, getHeader() {} } as unknown as ServerResponse;
  const opts = (o: { force?: boolean } = {}) => ({
    dryRun: false,
    fieldManager: 'm',
    fieldValidation: 'Strict' as const,
    force: o.force ?? false,
    statusOnly: false,
    now: new Date(),
    res,
  });
  const apply = (body: object, force = false) =>
    applyPatchRequest(
      registry,
      s,
      r,
      'application/apply-patch+yaml',
      Buffer.from(JSON.stringify(body)),
      opts({ force }),
    );
  const cm = (data: Record<string, string>, resourceVersion?: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', ...(resourceVersion ? { resourceVersion } : {}) },
    data,
  });

  test('server-side apply: a stale resourceVersion is a 409 and the stored object is kept', () => {
    const created = apply(cm({ n: '0' })).object;
    const rv = created.metadata.resourceVersion!;
    const next = apply(cm({ n: '1' }, rv), true).object;
    assert.notEqual(next.metadata.resourceVersion, rv);
    expectApiError(
      () => apply(cm({ n: '2' }, rv), true),
      409,
      'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
    );
    const stored = registry.mustGet('configmaps', 'default', 'c').object as { data?: Record<string, string> };
    assert.deepEqual(stored.data, { n: '1' });
    // The current resourceVersion, or none at all, applies.
    apply(cm({ n: '3' }, next.metadata.resourceVersion), true);
    assert.equal((apply(cm({ n: '4' }), true).object as { data?: { n?: string } }).data?.n, '4');
  });

  test('merge patch: a stale resourceVersion is a 409 as well', () => {
    const patch = (body: object) =>
      applyPatchRequest(
        registry,
        s,
        r,
        'application/merge-patch+json',
        Buffer.from(JSON.stringify(body)),
        opts(),
      );
    expectApiError(() => patch({ metadata: { resourceVersion: '1' }, data: { n: 'x' } }), 409);
    assert.equal((patch({ data: { n: '5' } }).object as { data?: { n?: string } }).data?.n, '5');
  });
});
