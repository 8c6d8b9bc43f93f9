/**
 * The `standard` StorageClass every new podbay data dir starts with, shaped as kind's (its default
 * storage manifest): the default class, WaitForFirstConsumer, reclaim Delete, provisioned by the
 * engine's own `podbay.io/local-path` (kind's is rancher.io/local-path), so manifests that name
 * `standard` or no class at all move between podbay and kind unchanged.
 *
 * Created once, when the data dir is new, as kind applies its manifest once at cluster creation
 * (the addonmanager EnsureExists label it carries says the same: users own it afterwards). A user who
 * edits or deletes it keeps that choice across restarts: a marker file records that it was created.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Registry } from '../api/registry/registry.js';
import { LOCAL_PATH_PROVISIONER } from '../controllers/volume/local-path/provisioner.js';

export const DEFAULT_STORAGE_CLASS = 'standard';
const MARKER = 'default-storage-class-created';

export function ensureDefaultStorageClass(registry: Registry, dataDir: string): void {
  const marker = join(dataDir, MARKER);
  if (existsSync(marker)) return;
  if (!registry.getStored('storageclasses', '', DEFAULT_STORAGE_CLASS)) {
    registry.createIn('storageclasses', '', {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: {
        name: DEFAULT_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
      },
      provisioner: LOCAL_PATH_PROVISIONER,
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`, { mode: 0o600 });
}
