import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { PersistentVolume, PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1';
import { resolveClaimVolume } from './persistent-volume.js';

const dir = mkdtempSync(join(tmpdir(), 'podbay-pvc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pod: Pod = { metadata: { name: 'web', namespace: 'default' } };
const vol = (readOnly = false): Volume => ({
  name: 'data',
  persistentVolumeClaim: { claimName: 'data', ...(readOnly && { readOnly }) },
});
const claim = (patch: Partial<PersistentVolumeClaim> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'u1' },
  spec: { volumeName: 'pv1' },
  status: { phase: 'Bound' },
  ...patch,
});
const volume = (spec: Partial<PersistentVolume['spec']>): PersistentVolume => ({
  metadata: { name: 'pv1' },
  spec: { claimRef: { namespace: 'default', name: 'data', uid: 'u1' }, ...spec },
});
const lookups = (pvc?: PersistentVolumeClaim, pv?: PersistentVolume) => ({
  persistentVolumeClaim: () => pvc,
  persistentVolume: () => pv,
});
const rejects = (p: Promise<unknown>, message: string) => assert.rejects(p, { message });

describe('persistentVolumeClaim volumes', () => {
  test('a bound claim mounts its local volume, with ownership managed; readOnly from the pod volume', async () => {
    const r = await resolveClaimVolume(pod, vol(true), lookups(claim(), volume({ local: { path: dir } })));
    assert.deepEqual(r, { hostPath: dir, readOnly: true, ownershipManaged: true });
    const h = await resolveClaimVolume(pod, vol(), lookups(claim(), volume({ hostPath: { path: dir } })));
    assert.deepEqual(h, { hostPath: dir, readOnly: false, ownershipManaged: false });
  });

  test("missing, deleting, unbound claims and missing volumes fail with the kubelet's words", async () => {
    await rejects(
      resolveClaimVolume(pod, vol(), lookups()),
      'error processing PVC default/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found',
    );
    await rejects(
      resolveClaimVolume(
        pod,
        vol(),
        lookups(claim({ metadata: { name: 'data', namespace: 'default', deletionTimestamp: 'x' } })),
      ),
      "error processing PVC default/data: can't start pod because PVC default/data is being deleted",
    );
    await rejects(
      resolveClaimVolume(pod, vol(), lookups(claim({ spec: {}, status: { phase: 'Pending' } }))),
      'error processing PVC default/data: PVC default/data has non-bound phase ("Pending") or empty pvc.Spec.VolumeName ("")',
    );
    await rejects(
      resolveClaimVolume(pod, vol(), lookups(claim())),
      'error processing PVC default/data: failed to fetch PV pv1 from API server: persistentvolumes "pv1" not found',
    );
    await rejects(
      resolveClaimVolume(pod, vol(), lookups(claim(), volume({ local: { path: join(dir, 'gone') } }))),
      `MountVolume.NewMounter initialization failed for volume "pv1" : path "${join(dir, 'gone')}" does not exist`,
    );
  });
});
