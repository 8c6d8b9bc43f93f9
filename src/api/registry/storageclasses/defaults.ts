/** SetDefaults_StorageClass (pkg/apis/storage/v1/defaults.go): reclaimPolicy Delete, volumeBindingMode Immediate. */
import type { StorageClass } from 'kubernetes-types/storage/v1';

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ||= 'Delete';
  sc.volumeBindingMode ||= 'Immediate';
}
