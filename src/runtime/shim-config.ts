/**
 * Writes the launch description podbay-shim reads (shim/config.c is the other side): a flat list of
 * NUL-terminated strings, each key followed by its fixed number of values. NUL cannot occur in
 * argv, env or paths, so no escaping is needed; a NUL inside a value is rejected here.
 */
import { InvalidArgumentError } from './errors.js';

export interface ShimLaunch {
  id: string;
  logPath: string;
  exitFile: string;
  pidFile: string;
  sandboxPid: number;
  sharePid: boolean;
  /** Host pid of the container whose PID namespace this one joins (CRI TARGET); wins over sharePid. */
  pidTarget?: number;
  cgroupProcs: string[];
  upper: string;
  work: string;
  rootfs: string;
  hide: string[];
  /** Directories shown empty (host contents hidden): /tmp, /var/tmp, /run. */
  opaque: string[];
  mounts: { src: string; dst: string; readonly: boolean; propagation: 'private' | 'rslave' | 'rshared' }[];
  tmpfs: { dst: string; options: string }[];
  readonlyRoot: boolean;
  privileged: boolean;
  capsMask: string;
  noNewPrivs: boolean;
  uid: number;
  gid: number;
  groups: number[];
  cwd: string;
  env: string[];
  argv: string[];
  maxLogSize: number;
  maxLogFiles: number;
  /** Container stdin kept open by the shim (pod spec `stdin`); closed after one session with `stdinOnce`. */
  stdin?: boolean;
  stdinOnce?: boolean;
  /** A pseudo-terminal is the container's stdin/stdout/stderr (pod spec `tty`). */
  tty?: boolean;
  /** Where the shim serves attach sessions (shim/attach.c); absent: the container cannot be attached to. */
  attachSocket?: string;
}

export function encodeShimConfig(c: ShimLaunch): Buffer {
  const parts: string[] = [];
  const put = (field: string, ...values: (string | number | boolean)[]) => {
    const strings = values.map((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v)));
    for (const s of strings) {
      if (s.includes('\0')) throw new InvalidArgumentError(field, 'must not contain a NUL byte');
    }
    parts.push(field, ...strings);
  };
  put('id', c.id);
  put('log', c.logPath);
  put('exit-file', c.exitFile);
  put('pid-file', c.pidFile);
  put('sandbox-pid', c.sandboxPid);
  put('share-pid', c.sharePid);
  if (c.pidTarget !== undefined) put('pid-target', c.pidTarget);
  for (const p of c.cgroupProcs) put('cgroup', p);
  put('upper', c.upper);
  put('work', c.work);
  put('rootfs', c.rootfs);
  for (const h of c.hide) put('hide', h);
  for (const o of c.opaque) put('opaque', o);
  for (const m of c.mounts) put('mount', m.src, m.dst, m.readonly, m.propagation);
  for (const t of c.tmpfs) put('tmpfs', t.dst, t.options);
  put('readonly-root', c.readonlyRoot);
  put('privileged', c.privileged);
  put('caps', c.capsMask);
  put('no-new-privs', c.noNewPrivs);
  put('uid', c.uid);
  put('gid', c.gid);
  for (const g of c.groups) put('group', g);
  put('cwd', c.cwd);
  for (const e of c.env) put('env', e);
  for (const a of c.argv) put('arg', a);
  if (c.stdin) put('stdin', true);
  if (c.stdinOnce) put('stdin-once', true);
  if (c.tty) put('tty', true);
  if (c.attachSocket !== undefined) put('attach-socket', c.attachSocket);
  put('max-log-size', c.maxLogSize);
  put('max-log-files', c.maxLogFiles);
  return Buffer.from(`${parts.join('\0')}\0`);
}
