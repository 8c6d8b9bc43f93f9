/**
 * Who a container's process runs as: securityContext first, then the image's `user` (a name looked
 * up in this machine's /etc/passwd, or uid[:gid]), then root. Supplemental groups are
 * supplementalGroups plus fsGroup, as kubelet passes them to the runtime.
 */
import { readFileSync } from 'node:fs';
import { effectiveCapabilities } from './capabilities.js';
import { InvalidArgumentError } from './errors.js';
import type { SecurityContext } from './types.js';

export interface ProcessIdentity {
  uid: number;
  gid: number;
  groups: number[];
  capabilities: string[];
  noNewPrivs: boolean;
  privileged: boolean;
}

function lookupUser(name: string, passwd: string): { uid: number; gid: number } | undefined {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 4) return { uid: Number(f[2]), gid: Number(f[3]) };
  }
  return undefined;
}

export function parseImageUser(user: string, passwd: string): { uid: number; gid?: number } {
  const [u, g] = user.split(':');
  const uid = /^\d+$/.test(u!) ? { uid: Number(u), gid: undefined } : lookupUser(u!, passwd);
  if (!uid) throw new InvalidArgumentError('image user', `no user ${JSON.stringify(u)} in /etc/passwd`);
  if (g !== undefined) {
    if (!/^\d+$/.test(g))
      throw new InvalidArgumentError('image user', `group ${JSON.stringify(g)} must be numeric`);
    return { uid: uid.uid, gid: Number(g) };
  }
  return uid.gid === undefined ? { uid: uid.uid } : { uid: uid.uid, gid: uid.gid };
}

export function resolveIdentity(
  sc: SecurityContext | undefined,
  imageUser: string | undefined,
  passwd = readFileSync('/etc/passwd', 'utf8'),
): ProcessIdentity {
  const fromImage = imageUser ? parseImageUser(imageUser, passwd) : { uid: 0, gid: 0 };
  const uid = sc?.runAsUser ?? fromImage.uid;
  const gid = sc?.runAsGroup ?? (sc?.runAsUser !== undefined ? 0 : (fromImage.gid ?? 0));
  const groups = [...(sc?.supplementalGroups ?? [])];
  if (sc?.fsGroup !== undefined && !groups.includes(sc.fsGroup)) groups.push(sc.fsGroup);
  for (const [field, v] of [
    ['runAsUser', uid],
    ['runAsGroup', gid],
    ...groups.map((g, i) => [`supplementalGroups[${i}]`, g] as const),
  ] as const) {
    if (!Number.isInteger(v) || v < 0 || v > 0xfffffffe) {
      throw new InvalidArgumentError(`securityContext.${field}`, `must be an integer uid/gid, got ${v}`);
    }
  }
  const privileged = sc?.privileged === true;
  return {
    uid,
    gid,
    groups,
    capabilities: effectiveCapabilities(sc ?? {}),
    noNewPrivs: !privileged && sc?.allowPrivilegeEscalation !== true,
    privileged,
  };
}
