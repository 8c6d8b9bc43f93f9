/**
 * emptyDir specifics: the tmpfs size for medium Memory (calculateEmptyDirMemorySize: node
 * allocatable memory, lowered to the pod's memory limit, lowered to sizeLimit, each only when
 * positive and smaller), disk usage for the eviction manager, and its sizeLimit message.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseQuantity, quantityValue } from '../../api/quantity.js';

export function emptyDirMemorySize(
  nodeAllocatableMemoryBytes: number,
  podMemoryLimitBytes: number | undefined,
  sizeLimit: string | number | undefined,
): number {
  let size = nodeAllocatableMemoryBytes;
  if (podMemoryLimitBytes !== undefined && podMemoryLimitBytes > 0 && podMemoryLimitBytes <= size)
    size = podMemoryLimitBytes;
  if (sizeLimit !== undefined && sizeLimit !== '') {
    const limit = Number(quantityValue(parseQuantity(sizeLimit)));
    if (limit > 0 && limit <= size) size = limit;
  }
  return size;
}

export interface VolumeUsage {
  /** Bytes allocated (st_blocks × 512), as `du` counts them. */
  readonly bytes: number;
  readonly inodes: number;
}

/** Walks the volume without following symlinks; bounded by what is on disk. */
export async function volumeUsage(dir: string): Promise<VolumeUsage> {
  let bytes = 0;
  let inodes = 0;
  const seen = new Set<number>();
  const walk = async (p: string): Promise<void> => {
    const stat = await fs.lstat(p).catch(() => undefined);
    if (!stat) return;
    if (!seen.has(stat.ino)) {
      seen.add(stat.ino);
      bytes += stat.blocks * 512;
      inodes++;
    }
    if (!stat.isDirectory()) return;
    const entries = await fs.readdir(p).catch(() => [] as string[]);
    for (const entry of entries) await walk(path.join(p, entry));
  };
  await walk(dir);
  return { bytes, inodes };
}

/** The eviction message when usage passes sizeLimit (emptyDirMessageFmt), else undefined. */
export function emptyDirLimitExceeded(
  volumeName: string,
  usage: VolumeUsage,
  sizeLimit: string | undefined,
): string | undefined {
  if (sizeLimit === undefined || sizeLimit === '') return undefined;
  const limit = parseQuantity(sizeLimit);
  const limitBytes = Number(quantityValue(limit));
  if (limitBytes <= 0 || usage.bytes <= limitBytes) return undefined;
  return `Usage of EmptyDir volume "${volumeName}" exceeds the limit "${sizeLimit}". `;
}
