import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1';
import { endpointSlice, notReady, ready, terminating } from '../testing/slices.js';
import { indexBackends, resolveBackend } from './backends.js';

const service = (name: string, spec: Service['spec']): Service => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec,
});

const web = service('web', {
  ports: [
    { name: 'http', port: 80, targetPort: 'web' as never, protocol: 'TCP' },
    { name: 'admin', port: 9000, targetPort: 9000, protocol: 'TCP' },
  ],
});
const slices = [
  endpointSlice('default', 'web', {
    endpoints: [ready('10.244.0.5'), notReady('10.244.0.6')],
    ports: [
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'admin', port: 9000, protocol: 'TCP' },
    ],
  }),
];

const resolve = (backend: { name: string; port: { number?: number; name?: string } }, svcs = [web]) =>
  resolveBackend(indexBackends(svcs, slices), 'default', { service: backend });

describe('ingress backends', () => {
  test('a Service port by number or by name → its ready endpoints at the resolved targetPort', () => {
    assert.deepEqual(resolve({ name: 'web', port: { number: 80 } }), {
      upstreams: [{ ip: '10.244.0.5', port: 8080 }],
    });
    assert.deepEqual(resolve({ name: 'web', port: { name: 'admin' } }), {
      upstreams: [{ ip: '10.244.0.5', port: 9000 }],
    });
  });
  test('what leaves no upstream (503)', () => {
    assert.deepEqual(resolve({ name: 'nope', port: { number: 80 } }), {
      problem: 'service default/nope not found',
    });
    assert.deepEqual(resolve({ name: 'web', port: { number: 8080 } }), {
      problem: 'service default/web has no port 8080',
    });
    const empty = service('empty', { ports: [{ port: 80, protocol: 'TCP' }] });
    assert.deepEqual(resolve({ name: 'empty', port: { number: 80 } }, [empty]), {
      problem: 'service default/empty has no ready endpoints',
    });
    const ext = service('ext', { type: 'ExternalName', externalName: 'example.com' });
    assert.deepEqual(resolve({ name: 'ext', port: { number: 80 } }, [ext]), {
      problem: 'service default/ext is of type ExternalName',
    });
    assert.deepEqual(
      resolveBackend(indexBackends([], []), 'default', { resource: { kind: 'B', name: 'b' } }),
      {
        problem: 'resource backends are not served by podbay',
      },
    );
  });
  test('serving-terminating endpoints when none is ready', () => {
    const s = [
      endpointSlice('default', 'web', {
        endpoints: [terminating('10.244.0.7')],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      }),
    ];
    assert.deepEqual(
      resolveBackend(indexBackends([web], s), 'default', { service: { name: 'web', port: { number: 80 } } }),
      {
        upstreams: [{ ip: '10.244.0.7', port: 8080 }],
      },
    );
  });
});
