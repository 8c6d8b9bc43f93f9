/**
 * Pod and container securityContext rules, as upstream's ValidateSecurityContext and
 * validatePodSpecSecurityContext: id ranges, seccomp profiles, and the privilege combinations
 * that contradict each other. (Windows and AppArmor options are not checked: podbay runs Linux
 * containers without AppArmor.)
 */
import type { PodSecurityContext, SeccompProfile, SecurityContext } from 'kubernetes-types/core/v1';
import { type FieldError, invalidValue, notSupported, required } from './field.js';
import { child, index } from './path.js';
import { inclusiveRangeError } from './strings.js';

/** 1.32's IsValidUserID / IsValidGroupID bound (libcontainer's 0 .. 2^31-1). */
const MAX_ID = 2_147_483_647;
const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const PROC_MOUNT_TYPES = ['Default', 'Unmasked'];

function validateId(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && (value < 0 || value > MAX_ID)
    ? [invalidValue(path, value, inclusiveRangeError(0, MAX_ID))]
    : [];
}

function validateSeccompProfile(sp: SeccompProfile | undefined, path: string): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  const typePath = child(path, 'type');
  if (!sp.type) errs.push(required(typePath, 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(sp.type)) errs.push(notSupported(typePath, sp.type, SECCOMP_TYPES));
  const profilePath = child(path, 'localhostProfile');
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined)
      errs.push(required(profilePath, 'must be set when seccomp type is Localhost'));
    else if (sp.localhostProfile.startsWith('/') || sp.localhostProfile.split('/').includes('..')) {
      errs.push(invalidValue(profilePath, sp.localhostProfile, "must be a relative path without '..'"));
    }
  } else if (sp.localhostProfile !== undefined) {
    errs.push(invalidValue(profilePath, sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

/** A container's securityContext; `path` ends in `.securityContext`. */
export function validateSecurityContext(sc: SecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs = [
    ...validateId(sc.runAsUser, child(path, 'runAsUser')),
    ...validateId(sc.runAsGroup, child(path, 'runAsGroup')),
  ];
  if (sc.procMount !== undefined && !PROC_MOUNT_TYPES.includes(sc.procMount)) {
    errs.push(notSupported(child(path, 'procMount'), sc.procMount, PROC_MOUNT_TYPES));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) {
      errs.push(
        invalidValue(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
      );
    }
    for (const cap of sc.capabilities?.add ?? []) {
      if (cap === 'CAP_SYS_ADMIN') {
        errs.push(
          invalidValue(
            path,
            sc,
            'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
          ),
        );
      }
    }
  }
  return errs;
}

const FS_GROUP_CHANGE_POLICIES = ['Always', 'OnRootMismatch'];

/** The pod-level securityContext; `path` ends in `.securityContext`. */
export function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: string): FieldError[] {
  if (!sc) return [];
  const errs = [
    ...validateId(sc.fsGroup, child(path, 'fsGroup')),
    ...validateId(sc.runAsUser, child(path, 'runAsUser')),
    ...validateId(sc.runAsGroup, child(path, 'runAsGroup')),
  ];
  (sc.supplementalGroups ?? []).forEach((gid, i) => {
    errs.push(...validateId(gid, index(child(path, 'supplementalGroups'), i)));
  });
  if (sc.fsGroupChangePolicy !== undefined && !FS_GROUP_CHANGE_POLICIES.includes(sc.fsGroupChangePolicy)) {
    errs.push(
      notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, FS_GROUP_CHANGE_POLICIES),
    );
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  return errs;
}
