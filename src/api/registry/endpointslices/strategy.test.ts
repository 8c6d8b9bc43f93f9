/**
 * The EndpointSlice strategy inside the real registry (SQLite store in memory, the production
 * catalog): generateName, defaults, 422 validation, generation, immutable addressType,
 * deprecatedTopology dropped on v1 writes, and strict field validation from the schema tables.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Store } from '../../../store/sqlite-store.js';
import { unknownFields } from '../../http/field-validation.js';
import { openTestRegistry } from '../../testing/registry.js';
import type { KubeObject } from '../../types.js';
import type { Registry } from '../registry.js';
import { endpointSliceStrategy } from './strategy.js';

type Slice = EndpointSlice & KubeObject;

describe('endpointSliceStrategy in the registry', () => {
  let store: Store;
  let registry: Registry;
  before(() => {
    ({ store, registry } = openTestRegistry());
  });
  after(() => store.close());

  const base = (): Slice => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { generateName: 'web-', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true } }],
    ports: [{ port: 8080 }],
  });

  test('is served as discovery.k8s.io/v1 endpointslices, namespaced', () => {
    const r = registry.resources().find((x) => x.resource === 'endpointslices');
    assert.deepEqual(r, {
      resource: 'endpointslices',
      namespaced: true,
      group: 'discovery.k8s.io',
      kind: 'EndpointSlice',
    });
  });

  test('create: generated name, defaulted ports, generation 1, topology dropped', () => {
    const input = base();
    input.endpoints[0]!.deprecatedTopology = { 'kubernetes.io/hostname': 'node-1' };
    const s = registry.create<Slice>('endpointslices', input);
    assert.match(s.metadata.name!, /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(s.ports, [{ name: '', port: 8080, protocol: 'TCP' }]);
    assert.equal(s.metadata.generation, 1);
    assert.equal(s.endpoints[0]!.deprecatedTopology, undefined);
  });

  test('update: generation moves on content or label changes, not on annotations', () => {
    const s = registry.create<Slice>('endpointslices', base());
    const annotated = registry.update<Slice>('endpointslices', {
      ...s,
      metadata: { ...s.metadata, annotations: { note: 'x' } },
    });
    assert.equal(annotated.metadata.generation, 1);
    const moved = registry.update<Slice>('endpointslices', {
      ...annotated,
      endpoints: [{ addresses: ['10.1.0.6'] }],
    });
    assert.equal(moved.metadata.generation, 2);
    const relabelled = registry.update<Slice>('endpointslices', {
      ...moved,
      metadata: { ...moved.metadata, labels: { ...moved.metadata.labels, extra: 'y' } },
    });
    assert.equal(relabelled.metadata.generation, 3);
  });

  test('invalid slices are refused with 422 naming the field', () => {
    const bad = base();
    bad.endpoints = [{ addresses: ['999.1.1.1'] }];
    assert.throws(
      () => registry.create('endpointslices', bad),
      (e: { code?: number; message?: string }) =>
        e.code === 422 &&
        /EndpointSlice\.discovery\.k8s\.io "web-[a-z0-9]{5}" is invalid: \[endpoints\[0\]\.addresses\[0\]: Invalid value: "999\.1\.1\.1": must be a valid IPv4 address/.test(
          e.message ?? '',
        ),
    );
    const s = registry.create<Slice>('endpointslices', base());
    assert.throws(
      () =>
        registry.update('endpointslices', {
          ...s,
          addressType: 'IPv6',
          endpoints: [{ addresses: ['fd00::5'] }],
        }),
      /addressType: Invalid value: "IPv6": field is immutable/,
    );
  });

  test('strict field validation knows every EndpointSlice field and no other', () => {
    const ok = {
      ...base(),
      endpoints: [
        {
          addresses: ['10.0.0.1'],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: 'n',
          zone: 'z',
          hints: { forZones: [{ name: 'z' }] },
          targetRef: { kind: 'Pod', name: 'p' },
        },
      ],
      ports: [{ name: 'a', port: 1, protocol: 'TCP', appProtocol: 'http' }],
    };
    assert.deepEqual(unknownFields(endpointSliceStrategy.info, ok as Slice), []);
    const bad = {
      ...base(),
      spec: {},
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { up: true } }],
      ports: [{ number: 1 }],
    };
    assert.deepEqual(unknownFields(endpointSliceStrategy.info, bad as unknown as Slice), [
      'endpoints[0].conditions.up',
      'ports[0].number',
      'spec',
    ]);
  });
});
