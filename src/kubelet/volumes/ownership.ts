/**
 * fsGroup ownership (pkg/volume/volume_linux.go SetVolumeOwnership, policy Always): every file and
 * directory under the volume gets group fsGroup; files gain g+rw (0660 mask) or, on read-only
 * volume kinds (configMap, secret, downwardAPI, projected), 0440; directories also get setgid and
 * g+x/u+x. Symlinks are re-grouped but never chmod-ed, because chmod would follow them and
 * override the modes the volume chose.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const RW_MASK = 0o660;
const RO_MASK = 0o440;
const EXEC_MASK = 0o110;
const SETGID = 0o2000;

export async function setVolumeOwnership(dir: string, fsGroup: number, readOnly: boolean): Promise<void> {
  const walk = async (p: string): Promise<void> => {
    const stat = await fs.lstat(p);
    await fs.lchown(p, -1, fsGroup);
    if (stat.isSymbolicLink()) return;
    let mask = readOnly ? RO_MASK : RW_MASK;
    if (stat.isDirectory()) mask |= SETGID | EXEC_MASK;
    await fs.chmod(p, (stat.mode & 0o7777) | mask);
    if (!stat.isDirectory()) return;
    for (const entry of await fs.readdir(p)) await walk(path.join(p, entry));
  };
  await walk(dir);
}
