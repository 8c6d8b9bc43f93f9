import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1';
import { endpointKey, type PortGroup, portsKey } from './desired.js';
import {
  MAX_ENDPOINTS_PER_SLICE,
  type OwnerService,
  reconcileAddressType,
  sliceLabels,
  slicePrefix,
} from './reconcile.js';

const svc: OwnerService = {
  metadata: {
    name: 'web',
    namespace: 'default',
    uid: 'svc-uid',
    labels: { team: 'a', 'kubernetes.io/service-name': 'spoof' },
  },
  spec: { clusterIP: '10.96.0.10' },
};
const PORTS = [{ name: 'http', port: 8080, protocol: 'TCP' }];

const ep = (i: number): Endpoint => ({
  addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`],
  conditions: { ready: true },
  targetRef: { kind: 'Pod', namespace: 'default', name: `p${i}` },
});

const group = (n: number, ports = PORTS): Map<string, PortGroup> =>
  new Map([
    [
      portsKey(ports),
      { ports, endpoints: new Map(Array.from({ length: n }, (_, i) => [endpointKey(ep(i)), ep(i)])) },
    ],
  ]);

const existing = (name: string, endpoints: Endpoint[], ports = PORTS): EndpointSlice => ({
  metadata: {
    name,
    namespace: 'default',
    labels: sliceLabels(svc),
    ownerReferences: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        name: 'web',
        uid: 'svc-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  addressType: 'IPv4',
  ports,
  endpoints,
});

describe('reconcileAddressType', () => {
  test('nothing to publish and no slice: one placeholder', () => {
    const c = reconcileAddressType(svc, 'IPv4', [], new Map());
    assert.equal(c.create.length, 1);
    assert.deepEqual(
      [c.create[0]!.ports, c.create[0]!.endpoints, c.create[0]!.metadata?.generateName],
      [[], [], 'web-'],
    );
  });

  test('labels: the Service labels, reserved ones overridden', () => {
    assert.deepEqual(sliceLabels(svc), {
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    });
  });

  test('an up-to-date slice yields no change', () => {
    const c = reconcileAddressType(svc, 'IPv4', [existing('web-aaaaa', [ep(0), ep(1)])], group(2));
    assert.deepEqual(c, { create: [], update: [], delete: [] });
  });

  test('new endpoints fill existing slices before new slices are made', () => {
    const c = reconcileAddressType(
      svc,
      'IPv4',
      [existing('web-aaaaa', [ep(0)])],
      group(MAX_ENDPOINTS_PER_SLICE + 30),
    );
    assert.equal(c.update.length, 1);
    assert.equal(c.update[0]!.endpoints.length, MAX_ENDPOINTS_PER_SLICE);
    assert.deepEqual(
      c.create.map((s) => s.endpoints.length),
      [30],
    );
    assert.deepEqual(c.delete, []);
  });

  test('a slice of ports no longer offered is rewritten in place rather than deleted and created', () => {
    const old = existing('web-aaaaa', [ep(0)], [{ name: 'http', port: 9090, protocol: 'TCP' }]);
    const c = reconcileAddressType(svc, 'IPv4', [old], group(1));
    assert.deepEqual([c.create.length, c.delete.length], [0, 0]);
    assert.equal(c.update[0]!.metadata?.name, 'web-aaaaa');
    assert.deepEqual(c.update[0]!.ports, PORTS);
  });

  test('emptied slices go; a slice of another owner is not reused', () => {
    const foreign = existing('web-old', [ep(5)]);
    foreign.metadata!.ownerReferences = [
      { apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'old-uid', controller: true },
    ];
    const c = reconcileAddressType(svc, 'IPv4', [existing('web-aaaaa', [ep(0)]), foreign], group(1));
    assert.deepEqual(
      c.delete.map((s) => s.metadata?.name),
      ['web-old'],
    );
    assert.deepEqual([c.create.length, c.update.length], [0, 0]);
  });
});

describe('slicePrefix', () => {
  test('the Service name, or endpointslice- when that is no valid name prefix', () => {
    assert.equal(slicePrefix('web'), 'web-');
    assert.equal(slicePrefix('Not_A_Name'), 'endpointslice-');
  });
});
