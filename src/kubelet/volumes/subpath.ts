/**
 * subPath / subPathExpr for a volume mount (kubelet makeMounts): expand subPathExpr against the
 * container env (a missing or empty variable is an error), refuse absolute paths and `..`, create
 * the sub path if missing, and refuse any path that resolves (through symlinks the container may
 * have planted) outside the volume.
 *
 * Contract: the returned path was inside the volume when checked (every component resolved with
 * realpath). A container that swaps a component for a symlink between this check and the bind
 * mount could still race it; upstream closes that window by bind-mounting through an O_PATH file
 * descriptor (subpath_linux.go), which is the runtime's job when it performs the mount.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { VolumeMount } from 'kubernetes-types/core/v1';
import { expand } from '../expansion.js';

export class SubPathError extends Error {
  override readonly name = 'SubPathError';
}

/** ExpandContainerVolumeMounts: the mount's sub path, '' when it has none. */
export function expandSubPath(mount: VolumeMount, env: readonly { name: string; value: string }[]): string {
  if (!mount.subPathExpr) return mount.subPath ?? '';
  const vars = new Map(env.map((e) => [e.name, e.value]));
  const missing = new Set<string>();
  const expanded = expand(mount.subPathExpr, (key) => {
    const value = vars.get(key);
    if (value === undefined || value === '') missing.add(key);
    return value ?? '';
  });
  if (missing.size > 0) throw new SubPathError(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}

/**
 * The host path a mount with `subPath` binds, created as a directory if missing with the volume
 * root's permission bits (makeMounts: GetMode + SafeMakeDir, chmod-ed past the umask), so an
 * fsGroup-writable volume gives fsGroup-writable subdirectories (they inherit its setgid group).
 */
export async function resolveSubPath(volumePath: string, subPath: string): Promise<string> {
  if (path.isAbsolute(subPath))
    throw new SubPathError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) {
    throw new SubPathError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
  }
  const base = await fs.realpath(volumePath);
  const perm = (await fs.stat(base)).mode & 0o777;
  const target = path.join(base, subPath);
  // Create missing components one by one, refusing to create through a symlink that leaves the volume.
  let current = base;
  for (const part of path.relative(base, target).split(path.sep).filter(Boolean)) {
    const next = path.join(current, part);
    const stat = await fs.lstat(next).catch(() => undefined);
    if (!stat) {
      await fs.mkdir(next);
      await fs.chmod(next, perm);
    }
    current = await fs.realpath(next);
    if (!within(base, current)) throw new SubPathError(`subpath "${next}" not within volume path "${base}"`);
  }
  const resolved = await fs.realpath(target);
  if (!within(base, resolved)) throw new SubPathError(`subpath "${target}" not within volume path "${base}"`);
  return resolved;
}

function within(base: string, p: string): boolean {
  const rel = path.relative(base, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
