/**
 * Prepares one pod volume on disk under the pod directory, in kubelet's layout
 * `<podDir>/volumes/kubernetes.io~<plugin>/<volume name>`, and tears all of them down.
 *
 *  - emptyDir: a 0777 directory; medium Memory mounts a tmpfs sized by emptyDirMemorySize;
 *  - configMap, downwardAPI: a directory filled by the atomic writer (update in place on change);
 *  - secret, projected: the same on a tmpfs of their own, so secret bytes never reach a disk;
 *  - hostPath: the type check only; the host path itself is mounted;
 *  - persistentVolumeClaim: the bound volume's directory (persistent-volume.ts), mounted likewise.
 * With pod.spec.securityContext.fsGroup, every volume but hostPath is given to that group.
 * Calling setUpVolume again for a mounted volume refreshes its contents (kubelet's remount on
 * sync). Errors carry upstream's text; callers prefix `MountVolume.SetUp failed for volume "x" : `.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Pod, Volume } from 'kubernetes-types/core/v1';
import type { NodeAllocatable } from '../env-fields.js';
import { AtomicWriter } from './atomic-writer.js';
import { emptyDirMemorySize } from './empty-dir.js';
import { checkHostPathType } from './host-path.js';
import { isMountPoint, mountTmpfs, unmount } from './mounts.js';
import { setVolumeOwnership } from './ownership.js';
import {
  configMapPayload,
  DEFAULT_VOLUME_MODE,
  downwardAPIPayload,
  type PayloadLookups,
  projectedPayload,
  secretPayload,
  VolumeSetupError,
} from './payloads.js';
import { resolveClaimVolume } from './persistent-volume.js';

export interface VolumeDeps {
  readonly lookups: PayloadLookups;
  readonly allocatable: NodeAllocatable;
  readonly nodeAllocatableMemoryBytes: number;
  /** The pod's memory limit (pod cgroup), when every container sets one. */
  readonly podMemoryLimitBytes?: number;
  /**
   * A periodic refresh of volumes already set up (not a mount for starting containers): persistent
   * volumes are not walked for fsGroup again, as the kubelet sets ownership only when it mounts.
   */
  readonly resync?: boolean;
}

export interface PreparedVolume {
  readonly name: string;
  /** What the runtime bind-mounts into containers. */
  readonly hostPath: string;
  /** The volume lives on a tmpfs (memory-backed). */
  readonly memoryBacked: boolean;
  /** Contents changed in this call (projected kinds only). */
  readonly changed: boolean;
  /** Every mount of it is read-only (a persistentVolumeClaim volume with readOnly). */
  readonly readOnly?: boolean;
}

const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

export function volumeDir(podDir: string, plugin: keyof typeof PLUGIN_DIRS, name: string): string {
  return path.join(podDir, 'volumes', PLUGIN_DIRS[plugin], name);
}

export async function setUpVolume(
  pod: Pod,
  volume: Volume,
  podDir: string,
  deps: VolumeDeps,
): Promise<PreparedVolume> {
  const namespace = pod.metadata?.namespace ?? '';
  const name = volume.name;
  if (volume.hostPath) {
    await checkHostPathType(volume.hostPath.path, volume.hostPath.type);
    return { name, hostPath: volume.hostPath.path, memoryBacked: false, changed: false };
  }
  if (volume.persistentVolumeClaim) {
    const claim = await resolveClaimVolume(pod, volume, deps.lookups);
    if (claim.ownershipManaged && !deps.resync) await applyClaimFsGroup(pod, claim.hostPath, claim.readOnly);
    return {
      name,
      hostPath: claim.hostPath,
      memoryBacked: false,
      changed: false,
      ...(claim.readOnly && { readOnly: true }),
    };
  }
  if (volume.emptyDir) {
    const dir = volumeDir(podDir, 'emptyDir', name);
    if (volume.emptyDir.medium === 'Memory') {
      const size = emptyDirMemorySize(
        deps.nodeAllocatableMemoryBytes,
        deps.podMemoryLimitBytes,
        volume.emptyDir.sizeLimit,
      );
      await mountTmpfs(dir, size, 0o1777);
      await applyFsGroup(pod, dir, false);
      return { name, hostPath: dir, memoryBacked: true, changed: false };
    }
    if (volume.emptyDir.medium)
      throw new VolumeSetupError(`unknown storage medium "${volume.emptyDir.medium}"`);
    await fs.mkdir(dir, { recursive: true });
    await fs.chmod(dir, 0o777); // upstream's emptyDir permission: any container user may write
    await applyFsGroup(pod, dir, false);
    return { name, hostPath: dir, memoryBacked: false, changed: false };
  }
  if (volume.configMap) {
    const source = volume.configMap;
    const optional = source.optional === true;
    const cm = deps.lookups.configMap(namespace, source.name ?? '');
    if (!cm && !optional) throw new VolumeSetupError(`configmap "${source.name}" not found`);
    const payload = configMapPayload(
      cm ?? {},
      source.items,
      source.defaultMode ?? DEFAULT_VOLUME_MODE,
      optional,
    );
    return writeVolume(pod, volumeDir(podDir, 'configMap', name), name, payload, undefined);
  }
  if (volume.secret) {
    const source = volume.secret;
    const optional = source.optional === true;
    const secret = deps.lookups.secret(namespace, source.secretName ?? '');
    if (!secret && !optional) throw new VolumeSetupError(`secret "${source.secretName}" not found`);
    const payload = secretPayload(
      secret ?? {},
      source.items,
      source.defaultMode ?? DEFAULT_VOLUME_MODE,
      optional,
    );
    return writeVolume(pod, volumeDir(podDir, 'secret', name), name, payload, memorySize(deps));
  }
  if (volume.downwardAPI) {
    const source = volume.downwardAPI;
    const payload = downwardAPIPayload(
      pod,
      source.items ?? [],
      source.defaultMode ?? DEFAULT_VOLUME_MODE,
      deps.allocatable,
    );
    return writeVolume(pod, volumeDir(podDir, 'downwardAPI', name), name, payload, undefined);
  }
  if (volume.projected) {
    const payload = await projectedPayload(pod, volume.projected, deps.lookups, deps.allocatable);
    return writeVolume(pod, volumeDir(podDir, 'projected', name), name, payload, memorySize(deps));
  }
  throw new VolumeSetupError(`volume "${name}" has an unsupported volume source`);
}

/** Secret-bearing volumes are sized like an emptyDir of medium Memory without sizeLimit. */
function memorySize(deps: VolumeDeps): number {
  return emptyDirMemorySize(deps.nodeAllocatableMemoryBytes, deps.podMemoryLimitBytes, undefined);
}

/** `tmpfsBytes` set: the volume gets a tmpfs of its own (kubelet wraps it in a Memory emptyDir). */
async function writeVolume(
  pod: Pod,
  dir: string,
  name: string,
  payload: Parameters<AtomicWriter['write']>[0],
  tmpfsBytes: number | undefined,
): Promise<PreparedVolume> {
  // 0755: only the kubelet writes; containers read (the runtime mounts these read-only).
  if (tmpfsBytes !== undefined) await mountTmpfs(dir, tmpfsBytes, 0o755);
  else await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  // Ownership covers the whole volume (new files may appear outside the timestamped directory).
  const changed = await new AtomicWriter(dir).write(payload, () => applyFsGroup(pod, dir, true));
  return { name, hostPath: dir, memoryBacked: tmpfsBytes !== undefined, changed };
}

/**
 * fsGroup on a persistent volume, with the pod's fsGroupChangePolicy: OnRootMismatch skips the walk
 * when the volume's root already has the group and setgid (skipPermissionChange).
 */
async function applyClaimFsGroup(pod: Pod, dir: string, readOnly: boolean): Promise<void> {
  const sc = pod.spec?.securityContext;
  const fsGroup = sc?.fsGroup;
  if (fsGroup === undefined || fsGroup === null) return;
  if (sc?.fsGroupChangePolicy === 'OnRootMismatch') {
    const st = await fs.stat(dir);
    const want = readOnly ? 0o440 : 0o660;
    if (st.gid === fsGroup && (st.mode & 0o2000) !== 0 && (st.mode & want) === want) return;
  }
  await setVolumeOwnership(dir, fsGroup, readOnly);
}

/** pod.spec.securityContext.fsGroup, applied with policy Always. */
async function applyFsGroup(pod: Pod, dir: string, readOnly: boolean): Promise<void> {
  const fsGroup = pod.spec?.securityContext?.fsGroup;
  if (fsGroup === undefined || fsGroup === null) return;
  await setVolumeOwnership(dir, fsGroup, readOnly);
}

/**
 * Unmounts every tmpfs under `<podDir>/volumes` and removes the volume directories. Safe to call
 * twice; never follows symlinks out of the pod directory (rm does not follow them).
 */
export async function tearDownPodVolumes(podDir: string): Promise<void> {
  const root = path.join(podDir, 'volumes');
  for (const plugin of Object.values(PLUGIN_DIRS)) {
    const pluginDir = path.join(root, plugin);
    const names = await fs.readdir(pluginDir).catch(() => [] as string[]);
    for (const n of names) {
      const dir = path.join(pluginDir, n);
      if (await isMountPoint(dir)) await unmount(dir);
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  await fs.rm(root, { recursive: true, force: true });
}
