/**
 * hostPath type checks (pkg/volume/hostpath checkType): DirectoryOrCreate and FileOrCreate create
 * what is missing (0755 directory / 0644 empty file); the others only check, with upstream's
 * messages. An unset type checks nothing.
 */
import fs from 'node:fs/promises';

export class HostPathTypeError extends Error {
  override readonly name = 'HostPathTypeError';
}

const CHECKS: Readonly<Record<string, [(s: import('node:fs').Stats) => boolean, string]>> = {
  Directory: [(s) => s.isDirectory(), 'is not a directory'],
  File: [(s) => s.isFile(), 'is not a file'],
  Socket: [(s) => s.isSocket(), 'is not a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'is not a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'is not a block device'],
};

export async function checkHostPathType(hostPath: string, type: string | undefined): Promise<void> {
  if (type === undefined || type === '') return;
  let kind = type;
  if (type === 'DirectoryOrCreate' || type === 'FileOrCreate') {
    const exists = await fs.lstat(hostPath).then(
      () => true,
      () => false,
    );
    if (!exists) {
      if (type === 'DirectoryOrCreate') await fs.mkdir(hostPath, { recursive: true, mode: 0o755 });
      else await (await fs.open(hostPath, 'a', 0o644)).close();
      return;
    }
    kind = type === 'DirectoryOrCreate' ? 'Directory' : 'File';
  }
  const check = CHECKS[kind];
  if (!check) throw new HostPathTypeError(`${type} is an invalid volume type`);
  const stat = await fs.stat(hostPath).catch(() => undefined);
  if (!stat || !check[0](stat))
    throw new HostPathTypeError(`hostPath type check failed: ${hostPath} ${check[1]}`);
}
