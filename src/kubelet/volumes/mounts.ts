/**
 * tmpfs mounts for emptyDir medium Memory and for secret-bearing volumes (secrets never touch a
 * disk). Mounting needs root, like kubelet. Commands are run without a shell.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class MountError extends Error {
  override readonly name = 'MountError';
}

/** Mounts a tmpfs at `dir` (created if missing); `sizeBytes` caps it when given. Idempotent. */
export async function mountTmpfs(dir: string, sizeBytes?: number, mode = 0o755): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  if (await isMountPoint(dir)) return;
  const options = [`mode=${mode.toString(8).padStart(4, '0')}`];
  if (sizeBytes !== undefined && sizeBytes > 0) options.push(`size=${sizeBytes}`);
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', dir]);
  } catch (err) {
    throw new MountError(
      `mount tmpfs on ${dir} failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`,
    );
  }
}

/** Unmounts `dir` if something is mounted there. Safe to call twice. */
export async function unmount(dir: string): Promise<void> {
  if (!(await isMountPoint(dir))) return;
  try {
    await run('umount', [dir]);
  } catch (err) {
    throw new MountError(
      `umount ${dir} failed: ${(err as { stderr?: string }).stderr?.trim() || (err as Error).message}`,
    );
  }
}

/** True when `dir` is listed as a mount target in /proc/self/mountinfo. */
export async function isMountPoint(dir: string): Promise<boolean> {
  const real = await fs.realpath(dir).catch(() => dir);
  const info = await fs.readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((line) => unescapeMountPath(line.split(' ')[4] ?? '') === real);
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}
