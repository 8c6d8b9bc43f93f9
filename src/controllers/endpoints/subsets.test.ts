import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EndpointSubset, Pod, Service } from 'kubernetes-types/core/v1';
import {
  buildSubsets,
  capacityAnnotationCorrect,
  findPort,
  MAX_ENDPOINTS,
  truncateSubsets,
} from './subsets.js';

const svc: Service = {
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    ports: [
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
    ],
  },
};
const pod = (
  name: string,
  ip: string,
  ports: { name: string; containerPort: number; protocol?: string }[],
  ready = true,
): Pod => ({
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: { containers: [{ name: 'c', ports }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('endpoints subsets', () => {
  test('findPort resolves names by protocol and passes numbers through', () => {
    const p = pod('a', '10.0.0.1', [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
    ]);
    assert.equal(findPort(p, { port: 80, targetPort: 'http' }), 8080);
    assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'TCP' }), undefined);
    assert.equal(findPort(p, { port: 53, targetPort: 'dns', protocol: 'UDP' }), 53);
    assert.equal(findPort(p, { port: 80, targetPort: 7000 }), 7000);
    assert.equal(findPort(p, { port: 80 }), 80);
  });

  test('pods offering different port sets land in different subsets; terminal pods are left out', () => {
    const a = pod('a', '10.0.0.2', [{ name: 'http', containerPort: 8080 }]);
    const b = pod('b', '10.0.0.1', [{ name: 'http', containerPort: 8080 }], false);
    const c = pod('c', '10.0.0.3', [{ name: 'http', containerPort: 8081 }]);
    const done = { ...pod('d', '10.0.0.4', []), status: { phase: 'Succeeded', podIP: '10.0.0.4' } };
    const subsets = buildSubsets(svc, [a, b, c, done]);
    assert.deepEqual(
      subsets.map((s) => [
        s.addresses?.map((x) => x.ip),
        s.notReadyAddresses?.map((x) => x.ip),
        s.ports?.map((p) => `${p.name}:${p.port}`),
      ]),
      [
        [['10.0.0.2'], ['10.0.0.1'], ['http:8080', 'metrics:9090']],
        [['10.0.0.3'], undefined, ['http:8081', 'metrics:9090']],
      ],
    );
  });

  test('more than 1000 addresses are truncated, ready ones kept first', () => {
    const addrs = (n: number, base: number) =>
      Array.from({ length: n }, (_, i) => ({ ip: `10.${base}.${i >> 8}.${i & 255}` }));
    const subsets: EndpointSubset[] = [
      { addresses: addrs(900, 1), notReadyAddresses: addrs(300, 2), ports: [{ port: 80 }] },
    ];
    assert.equal(capacityAnnotationCorrect(undefined, subsets), false);
    assert.equal(truncateSubsets(subsets), true);
    assert.equal(subsets[0]!.addresses!.length, 900);
    assert.equal(subsets[0]!.notReadyAddresses!.length, MAX_ENDPOINTS - 900);
    assert.equal(truncateSubsets(subsets), false);
  });
});
