import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Node, Pod, Service } from 'kubernetes-types/core/v1';
import { addressTypesOf, desiredPortGroups, podToEndpoint } from './desired.js';

const svc = (spec: Service['spec'] = {}): Service => ({
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
});

const pod = (
  name: string,
  over: { ready?: boolean; ips?: string[]; deleting?: boolean; phase?: string } = {},
): Pod => ({
  metadata: {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    ...(over.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
  },
  spec: { nodeName: 'node-1', hostname: name, subdomain: 'web', containers: [{ name: 'c', image: 'x' }] },
  status: {
    phase: over.phase ?? 'Running',
    podIPs: (over.ips ?? ['10.1.0.1']).map((ip) => ({ ip })),
    conditions: [{ type: 'Ready', status: over.ready === false ? 'False' : 'True' }],
  },
});

const node: Node = { metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'z1' } } };

describe('podToEndpoint', () => {
  test('conditions, targetRef, nodeName, zone and hostname (the pod names the Service as subdomain)', () => {
    assert.deepEqual(podToEndpoint(pod('a'), node, svc(), 'IPv4'), {
      addresses: ['10.1.0.1'],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
      nodeName: 'node-1',
      zone: 'z1',
      hostname: 'a',
    });
  });

  const conditionCases: readonly [string, Parameters<typeof pod>[1], Service['spec'], object][] = [
    ['not ready', { ready: false }, {}, { ready: false, serving: false, terminating: false }],
    [
      'terminating and ready: serving, not ready',
      { deleting: true },
      {},
      { ready: false, serving: true, terminating: true },
    ],
    [
      'publishNotReadyAddresses makes every endpoint ready',
      { ready: false, deleting: true },
      { publishNotReadyAddresses: true },
      { ready: true, serving: false, terminating: true },
    ],
  ];
  for (const [what, p, spec, want] of conditionCases)
    test(what, () =>
      assert.deepEqual(podToEndpoint(pod('a', p), undefined, svc(spec), 'IPv4')?.conditions, want),
    );

  test('the address of the slice family, or none', () => {
    const dual = pod('a', { ips: ['10.1.0.1', 'fd00::1'] });
    assert.deepEqual(podToEndpoint(dual, undefined, svc(), 'IPv6')?.addresses, ['fd00::1']);
    assert.equal(podToEndpoint(pod('b'), undefined, svc(), 'IPv6'), undefined);
  });
});

describe('desiredPortGroups', () => {
  test('finished pods and pods without IPs are left out; terminating ones stay', () => {
    const pods = [
      pod('a'),
      pod('done', { phase: 'Succeeded' }),
      pod('noip', { ips: [] }),
      pod('bye', { deleting: true }),
    ];
    const groups = desiredPortGroups(svc(), pods, new Map(), 'IPv4');
    assert.equal(groups.size, 1);
    const [group] = groups.values();
    assert.deepEqual(group!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(
      [...group!.endpoints.values()].map((e) => e.targetRef?.name),
      ['a', 'bye'],
    );
  });

  test('address types follow ipFamilies, IPv4 by default', () => {
    assert.deepEqual(addressTypesOf(svc()), ['IPv4']);
    assert.deepEqual(addressTypesOf(svc({ ipFamilies: ['IPv6', 'IPv4'] })), ['IPv6', 'IPv4']);
  });
});
