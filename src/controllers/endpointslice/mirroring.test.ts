import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Endpoints } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import {
  desiredMirror,
  endpointsWantMirroring,
  MAX_MIRRORED_ADDRESSES_PER_SUBSET,
  mirroredMetadata,
  mirrorSlicePrefix,
  reconcileMirror,
} from './mirroring.js';

const PG = [{ name: 'pg', port: 5432, protocol: 'TCP' }];
const eps = (
  subsets: Endpoints['subsets'],
  meta: Partial<NonNullable<Endpoints['metadata']>> = {},
): Endpoints => ({
  metadata: { name: 'db', namespace: 'apps', uid: 'ep-uid', ...meta },
  subsets,
});

describe('which Endpoints are mirrored', () => {
  test('skip-mirror "true" and a leader-election record opt out; anything else is mirrored', () => {
    assert.equal(endpointsWantMirroring(eps([])), true);
    assert.equal(
      endpointsWantMirroring(eps([], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } })),
      false,
    );
    assert.equal(
      endpointsWantMirroring(eps([], { labels: { 'endpointslice.kubernetes.io/skip-mirror': 'false' } })),
      true,
    );
    assert.equal(
      endpointsWantMirroring(eps([], { annotations: { 'control-plane.alpha.kubernetes.io/leader': '{}' } })),
      false,
    );
  });
});

describe('mirrored slice contents', () => {
  test('labels copied, service-name and managed-by set; annotations copied minus last-applied and trigger time', () => {
    const meta = mirroredMetadata(
      eps([], {
        labels: {
          team: 'a',
          'endpointslice.kubernetes.io/managed-by': 'me',
          'kubernetes.io/service-name': 'x',
        },
        annotations: {
          note: 'kept',
          'kubectl.kubernetes.io/last-applied-configuration': '{}',
          'endpoints.kubernetes.io/last-change-trigger-time': '2026-01-01T00:00:00Z',
        },
      }),
    );
    assert.deepEqual(meta, {
      labels: {
        team: 'a',
        'kubernetes.io/service-name': 'db',
        'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io',
      },
      annotations: { note: 'kept' },
    });
  });

  test('ready and not-ready addresses, hostname, nodeName and targetRef; one group per ports and family', () => {
    const { groups, invalidAddresses } = desiredMirror(
      eps([
        {
          addresses: [{ ip: '10.0.0.1', hostname: 'db-0', nodeName: 'n1' }, { ip: 'fd00:0::1' }],
          notReadyAddresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', name: 'p', namespace: 'apps' } }],
          ports: PG,
        },
        { addresses: [{ ip: 'not-an-ip' }], ports: [{ port: 80 }] },
      ]),
    );
    assert.equal(invalidAddresses, 1);
    const byType = [...groups.values()].map((g) => [g.addressType, g.ports, [...g.endpoints.values()]]);
    assert.deepEqual(byType, [
      [
        'IPv4',
        PG,
        [
          { addresses: ['10.0.0.1'], conditions: { ready: true }, nodeName: 'n1', hostname: 'db-0' },
          {
            addresses: ['10.0.0.2'],
            conditions: { ready: false },
            targetRef: { kind: 'Pod', name: 'p', namespace: 'apps' },
          },
        ],
      ],
      ['IPv6', PG, [{ addresses: ['fd00::1'], conditions: { ready: true } }]],
    ]);
  });

  test(`at most ${MAX_MIRRORED_ADDRESSES_PER_SUBSET} addresses of a subset, ready ones first`, () => {
    const ip = (i: number) => ({ ip: `10.1.${Math.floor(i / 250)}.${(i % 250) + 1}` });
    const { groups, skippedAddresses } = desiredMirror(
      eps([
        {
          addresses: Array.from({ length: 1001 }, (_, i) => ip(i)),
          notReadyAddresses: [{ ip: '10.9.9.9' }],
          ports: PG,
        },
      ]),
    );
    const [group] = groups.values();
    assert.equal(group!.endpoints.size, MAX_MIRRORED_ADDRESSES_PER_SUBSET);
    assert.equal(skippedAddresses, 2);
    assert.ok([...group!.endpoints.values()].every((e) => e.conditions?.ready === true));
  });

  test('slice name prefix: <name>- (valid for every valid Endpoints name)', () => {
    assert.equal(mirrorSlicePrefix('db'), 'db-');
    assert.equal(mirrorSlicePrefix('a.b'), 'a.b-');
  });
});

describe('reconcileMirror', () => {
  const subsets = [{ addresses: [{ ip: '10.0.0.1' }], ports: PG }];
  const current = (over: Partial<EndpointSlice> = {}): EndpointSlice => {
    const [created] = reconcileMirror(eps(subsets), []).create;
    const { generateName: _g, ...meta } = created!.metadata!;
    return { ...created!, metadata: { ...meta, name: 'db-abcde', resourceVersion: '7' }, ...over };
  };

  test('a new mirror: one slice per group, generateName, owned by the Endpoints', () => {
    const plan = reconcileMirror(eps(subsets), []);
    assert.equal(plan.create.length, 1);
    const slice = plan.create[0]!;
    assert.equal(slice.metadata?.generateName, 'db-');
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.metadata?.ownerReferences, [
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        name: 'db',
        uid: 'ep-uid',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    assert.deepEqual(slice.ports, PG);
  });

  test('an up-to-date slice is left alone; a changed one is updated in place', () => {
    assert.deepEqual(reconcileMirror(eps(subsets), [current()]), {
      create: [],
      update: [],
      delete: [],
      invalidAddresses: 0,
      skippedAddresses: 0,
    });
    const plan = reconcileMirror(eps([{ addresses: [{ ip: '10.0.0.2' }], ports: PG }]), [current()]);
    assert.deepEqual(
      plan.update.map((s) => [s.metadata?.name, s.metadata?.resourceVersion, s.endpoints[0]?.addresses]),
      [['db-abcde', '7', ['10.0.0.2']]],
    );
  });

  test('a changed label on the Endpoints is carried to the slice', () => {
    const plan = reconcileMirror(eps(subsets, { labels: { tier: 'db' } }), [current()]);
    assert.equal(plan.update[0]?.metadata?.labels?.tier, 'db');
  });

  test('duplicate slices for one group: the first by name stays', () => {
    const dup = current({ metadata: { ...current().metadata, name: 'db-zzzzz' } });
    const plan = reconcileMirror(eps(subsets), [dup, current()]);
    assert.deepEqual(
      plan.delete.map((s) => s.metadata?.name),
      ['db-zzzzz'],
    );
    assert.equal(plan.update.length, 0);
  });

  test('new ports: the old slice is recycled as the new group, not deleted and created', () => {
    const plan = reconcileMirror(
      eps([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'pg', port: 6432 }] }]),
      [current()],
    );
    assert.equal(plan.create.length + plan.delete.length, 0);
    assert.deepEqual(
      plan.update.map((s) => [s.metadata?.name, s.ports?.[0]?.port]),
      [['db-abcde', 6432]],
    );
  });

  test('no addresses left: the slice goes; Endpoints being deleted get no new slice', () => {
    assert.equal(reconcileMirror(eps([]), [current()]).delete.length, 1);
    assert.equal(reconcileMirror(eps([{ ports: PG }]), [current()]).delete.length, 1);
    const deleting = eps(subsets, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    assert.equal(reconcileMirror(deleting, []).create.length, 0);
  });
});
