import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { conditionsOf, servicePortEndpoints, slicesByService, usableEndpoints } from './endpoint-slices.js';
import { computeProxyPlan } from './proxy/model.js';
import { endpointSlice, notReady, ready, terminating } from './testing/slices.js';

const HTTP = [{ name: 'http', port: 8080, protocol: 'TCP' }];
const web: Service = {
  metadata: { name: 'web', namespace: 'apps' },
  spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
};
/** The endpoints the proxy would send web:80 to. */
const targets = (...slices: EndpointSlice[]) =>
  computeProxyPlan([web], slices, []).servicePorts[0]!.endpoints.map((e) => `${e.ip}:${e.port}`);

describe('slicesByService', () => {
  test('groups by the service-name label, in slice-name order; unlabelled slices belong to no one', () => {
    const b = endpointSlice('apps', 'web', { endpoints: [] }, 'web-b');
    const a = endpointSlice('apps', 'web', { endpoints: [] }, 'web-a');
    const other = endpointSlice('db', 'web', { endpoints: [] }, 'web-x');
    const stray: EndpointSlice = { ...a, metadata: { name: 'stray', namespace: 'apps' } };
    const grouped = slicesByService([b, stray, other, a]);
    assert.deepEqual(
      [...grouped.entries()].map(([k, v]) => [k, v.map((s) => s.metadata?.name)]),
      [
        ['apps/web', ['web-a', 'web-b']],
        ['db/web', ['web-x']],
      ],
    );
  });
});

describe('merging the slices of one Service (kube-proxy EndpointSliceCache)', () => {
  test('two slices of one Service are one endpoint list', () => {
    assert.deepEqual(
      targets(
        endpointSlice('apps', 'web', { endpoints: [ready('10.244.0.6')], ports: HTTP }, 'web-1'),
        endpointSlice('apps', 'web', { endpoints: [ready('10.244.0.5')], ports: HTTP }, 'web-2'),
      ),
      ['10.244.0.5:8080', '10.244.0.6:8080'],
    );
  });

  test('the same address and port in two slices counts once; the first slice by name wins', () => {
    const first = endpointSlice('apps', 'web', { endpoints: [ready('10.244.0.5')], ports: HTTP }, 'web-a');
    const second = endpointSlice(
      'apps',
      'web',
      { endpoints: [notReady('10.244.0.5')], ports: HTTP },
      'web-b',
    );
    const merged = servicePortEndpoints(slicesByService([second, first]).get('apps/web')!, 'http', 'TCP', 4);
    assert.deepEqual(merged, [
      { ip: '10.244.0.5', port: 8080, ready: true, serving: true, terminating: false },
    ]);
  });

  test('the same address on another port (a named targetPort resolved differently) is another endpoint', () => {
    assert.deepEqual(
      targets(
        endpointSlice('apps', 'web', { endpoints: [ready('10.244.0.5')], ports: HTTP }, 'web-a'),
        endpointSlice(
          'apps',
          'web',
          { endpoints: [ready('10.244.0.5')], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
          'web-b',
        ),
      ),
      ['10.244.0.5:8080', '10.244.0.5:9090'],
    );
  });

  test('not-ready endpoints get no traffic while any endpoint is ready', () => {
    assert.deepEqual(
      targets(
        endpointSlice('apps', 'web', {
          endpoints: [notReady('10.244.0.5'), ready('10.244.0.6')],
          ports: HTTP,
        }),
      ),
      ['10.244.0.6:8080'],
    );
    assert.deepEqual(
      targets(endpointSlice('apps', 'web', { endpoints: [notReady('10.244.0.5')], ports: HTTP })),
      [],
    );
  });

  test('terminating endpoints that still serve take traffic only when none is ready', () => {
    const both = endpointSlice('apps', 'web', {
      endpoints: [terminating('10.244.0.5'), ready('10.244.0.6')],
      ports: HTTP,
    });
    assert.deepEqual(targets(both), ['10.244.0.6:8080']);
    const draining = endpointSlice('apps', 'web', {
      endpoints: [terminating('10.244.0.5'), notReady('10.244.0.7')],
      ports: HTTP,
    });
    assert.deepEqual(targets(draining), ['10.244.0.5:8080']);
    const gone = endpointSlice('apps', 'web', {
      endpoints: [
        { addresses: ['10.244.0.5'], conditions: { ready: false, serving: false, terminating: true } },
      ],
      ports: HTTP,
    });
    assert.deepEqual(targets(gone), [], 'terminating and not serving: nothing');
  });

  test('ports match by name and protocol; absent name is "", absent protocol TCP; a port without a number is skipped', () => {
    const unnamed: Service = {
      metadata: { name: 'plain', namespace: 'apps' },
      spec: { clusterIP: '10.96.0.21', ports: [{ port: 80, protocol: 'TCP' }] },
    };
    const slices = [
      endpointSlice('apps', 'plain', { endpoints: [ready('10.244.0.5')], ports: [{ port: 8080 }] }, 'a'),
      endpointSlice(
        'apps',
        'plain',
        { endpoints: [ready('10.244.0.6')], ports: [{ port: 8080, protocol: 'UDP' }] },
        'b',
      ),
      endpointSlice('apps', 'plain', { endpoints: [ready('10.244.0.7')], ports: [{ name: '' }] }, 'c'),
    ];
    const plan = computeProxyPlan([unnamed], slices, []);
    assert.deepEqual(plan.servicePorts[0]!.endpoints, [{ ip: '10.244.0.5', port: 8080 }]);
  });

  test('addresses of the other family, and slices of another Service or namespace, are ignored', () => {
    assert.deepEqual(
      targets(
        endpointSlice(
          'apps',
          'web',
          { endpoints: [ready('fd00::5')], ports: HTTP, addressType: 'IPv6' },
          'v6',
        ),
        endpointSlice('apps', 'db', { endpoints: [ready('10.244.0.8')], ports: HTTP }),
        endpointSlice('other', 'web', { endpoints: [ready('10.244.0.9')], ports: HTTP }),
      ),
      [],
    );
  });

  test('absent conditions read as ready and serving, not terminating', () => {
    assert.deepEqual(conditionsOf({ addresses: ['10.0.0.1'] }), {
      ready: true,
      serving: true,
      terminating: false,
    });
    assert.deepEqual(
      usableEndpoints([{ ...conditionsOf({ addresses: ['10.0.0.1'] }), ip: '10.0.0.1' }]).map((e) => e.ip),
      ['10.0.0.1'],
    );
  });
});
