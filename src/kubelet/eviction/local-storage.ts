/**
 * The eviction manager's local-storage check for emptyDir volumes (eviction_manager.go
 * `emptyDirLimitEviction`): a pod whose disk-backed emptyDir uses more than its sizeLimit is
 * evicted with upstream's message. Memory-backed emptyDirs are skipped, as upstream skips them
 * in effect: their tmpfs is sized to the limit (volumes/empty-dir.ts), so writes past it fail
 * with ENOSPC instead.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { emptyDirLimitExceeded, volumeUsage } from '../volumes/empty-dir.js';
import { volumeDir } from '../volumes/setup.js';

/** The eviction message for the first emptyDir of `pod` over its sizeLimit, else undefined. */
export async function emptyDirLimitViolation(pod: Pod, podDir: string): Promise<string | undefined> {
  for (const volume of pod.spec?.volumes ?? []) {
    const source = volume.emptyDir;
    if (!source || source.medium === 'Memory' || source.sizeLimit === undefined) continue;
    const usage = await volumeUsage(volumeDir(podDir, 'emptyDir', volume.name));
    const message = emptyDirLimitExceeded(volume.name, usage, String(source.sizeLimit));
    if (message !== undefined) return message;
  }
  return undefined;
}
