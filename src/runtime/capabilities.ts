/**
 * Linux capabilities by name, containerd's default set, and the securityContext arithmetic
 * (privileged = all; otherwise defaults - drop + add, where "ALL" is allowed in either list,
 * and names may carry the CAP_ prefix or not, as containerd accepts both).
 */
import { InvalidArgumentError } from './errors.js';

/** Bit numbers from linux/capability.h. */
export const CAPABILITY_BITS: Readonly<Record<string, number>> = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  DAC_READ_SEARCH: 2,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  LINUX_IMMUTABLE: 9,
  NET_BIND_SERVICE: 10,
  NET_BROADCAST: 11,
  NET_ADMIN: 12,
  NET_RAW: 13,
  IPC_LOCK: 14,
  IPC_OWNER: 15,
  SYS_MODULE: 16,
  SYS_RAWIO: 17,
  SYS_CHROOT: 18,
  SYS_PTRACE: 19,
  SYS_PACCT: 20,
  SYS_ADMIN: 21,
  SYS_BOOT: 22,
  SYS_NICE: 23,
  SYS_RESOURCE: 24,
  SYS_TIME: 25,
  SYS_TTY_CONFIG: 26,
  MKNOD: 27,
  LEASE: 28,
  AUDIT_WRITE: 29,
  AUDIT_CONTROL: 30,
  SETFCAP: 31,
  MAC_OVERRIDE: 32,
  MAC_ADMIN: 33,
  SYSLOG: 34,
  WAKE_ALARM: 35,
  BLOCK_SUSPEND: 36,
  AUDIT_READ: 37,
  PERFMON: 38,
  BPF: 39,
  CHECKPOINT_RESTORE: 40,
};

/** containerd's pkg/oci defaultUnixCaps (the same list as Docker's). */
export const CONTAINERD_DEFAULT_CAPS: readonly string[] = [
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
];

function normalize(name: string, field: string): string {
  const upper = name.toUpperCase();
  const bare = upper.startsWith('CAP_') ? upper.slice(4) : upper;
  if (bare !== 'ALL' && !(bare in CAPABILITY_BITS)) {
    throw new InvalidArgumentError(field, `unknown capability ${JSON.stringify(name)}`);
  }
  return bare;
}

/** The capability names a container keeps. */
export function effectiveCapabilities(ctx: {
  privileged?: boolean;
  capabilities?: { add?: string[]; drop?: string[] };
}): string[] {
  const all = Object.keys(CAPABILITY_BITS);
  if (ctx.privileged) return all;
  const add = (ctx.capabilities?.add ?? []).map((c, i) => normalize(c, `capabilities.add[${i}]`));
  const drop = (ctx.capabilities?.drop ?? []).map((c, i) => normalize(c, `capabilities.drop[${i}]`));
  let kept = new Set(drop.includes('ALL') ? [] : CONTAINERD_DEFAULT_CAPS.filter((c) => !drop.includes(c)));
  if (add.includes('ALL')) kept = new Set(all);
  for (const c of add) if (c !== 'ALL') kept.add(c);
  return all.filter((c) => kept.has(c));
}

/** The bitmask the shim takes (`caps` / `--caps`), as lowercase hex. */
export function capabilityMask(names: readonly string[]): string {
  let mask = 0n;
  for (const n of names) mask |= 1n << BigInt(CAPABILITY_BITS[n]!);
  return mask.toString(16);
}
