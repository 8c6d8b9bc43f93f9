/**
 * Ephemeral containers (`kubectl debug`), as upstream's validateEphemeralContainers and
 * ValidatePodEphemeralContainersUpdate (pkg/apis/core/validation, v1.32):
 *  - each one gets the checks every container gets (validateContainerCommon) plus the pod-only
 *    image rule; its name is unique across regular, init and ephemeral containers; its
 *    targetContainerName names a regular or init container;
 *  - fields that would make it part of the workload (ports, probes, lifecycle, resources,
 *    resizePolicy, restartPolicy) are refused through an allow-list, as upstream's
 *    validateFieldAllowList does, so a field added later is refused until considered;
 *  - volume mounts may not use subPath or subPathExpr (bind mounts that outlive the container);
 *  - through pods/ephemeralcontainers, existing entries may not be removed or changed, and a
 *    static (mirror) pod takes none.
 */
import type { Container, EphemeralContainer, Pod, PodSpec } from 'kubernetes-types/core/v1';
import { validateContainerCommon } from './container.js';
import { duplicate, type FieldError, forbidden, invalidValue, notFound } from './field-extra.js';
import { deepEqual } from './objectmeta.js';
import { child, index } from './path.js';
import { describeDiff } from './pod-update.js';

/** validateFieldAllowList's detail for a refused field. */
export const EPHEMERAL_FORBIDDEN_MSG = 'cannot be set for an Ephemeral Container';

/** The static-pod annotation (core.MirrorPodAnnotationKey). */
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * EphemeralContainerCommon's fields in declaration order (errors come out in this order) with
 * upstream's allowedEphemeralContainerFields verdict. `set` says whether a value counts as set:
 * Go compares the field with its zero value, so an empty list (a non-nil slice) is set, while
 * `resources: {}` (a struct holding only nil maps) is not.
 */
const FIELDS: readonly { name: keyof Container; allowed: boolean; kind: 'value' | 'struct' }[] = [
  { name: 'name', allowed: true, kind: 'value' },
  { name: 'image', allowed: true, kind: 'value' },
  { name: 'command', allowed: true, kind: 'value' },
  { name: 'args', allowed: true, kind: 'value' },
  { name: 'workingDir', allowed: true, kind: 'value' },
  { name: 'ports', allowed: false, kind: 'value' },
  { name: 'envFrom', allowed: true, kind: 'value' },
  { name: 'env', allowed: true, kind: 'value' },
  { name: 'resources', allowed: false, kind: 'struct' },
  { name: 'resizePolicy', allowed: false, kind: 'value' },
  { name: 'restartPolicy', allowed: false, kind: 'value' },
  { name: 'volumeMounts', allowed: true, kind: 'value' },
  { name: 'volumeDevices', allowed: true, kind: 'value' },
  { name: 'livenessProbe', allowed: false, kind: 'value' },
  { name: 'readinessProbe', allowed: false, kind: 'value' },
  { name: 'startupProbe', allowed: false, kind: 'value' },
  { name: 'lifecycle', allowed: false, kind: 'value' },
  { name: 'terminationMessagePath', allowed: true, kind: 'value' },
  { name: 'terminationMessagePolicy', allowed: true, kind: 'value' },
  { name: 'imagePullPolicy', allowed: true, kind: 'value' },
  { name: 'securityContext', allowed: true, kind: 'value' },
  { name: 'stdin', allowed: true, kind: 'value' },
  { name: 'stdinOnce', allowed: true, kind: 'value' },
  { name: 'tty', allowed: true, kind: 'value' },
];

function isSet(value: unknown, kind: 'value' | 'struct'): boolean {
  if (value === undefined || value === null) return false;
  if (kind === 'struct' && typeof value === 'object') {
    return Object.values(value as Record<string, unknown>).some((v) => v !== undefined && v !== null);
  }
  return true;
}

/** The ephemeral container as the Container it is run as (EphemeralContainerCommon). */
export function ephemeralAsContainer(ec: EphemeralContainer): Container {
  const { targetContainerName: _target, ...common } = ec;
  return common as Container;
}

/**
 * spec.ephemeralContainers of a (defaulted) pod spec; `volumes` holds the names of the pod's
 * valid volumes, as validateContainerCommon wants them.
 */
export function validateEphemeralContainers(
  spec: PodSpec,
  volumes: ReadonlySet<string>,
  path: string,
): FieldError[] {
  const list = spec.ephemeralContainers ?? [];
  if (list.length === 0) return [];
  const others = new Set([...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name));
  const all = new Set(others);
  const errs: FieldError[] = [];
  list.forEach((ec, i) => {
    const p = index(path, i);
    const c = ephemeralAsContainer(ec);
    errs.push(...validateContainerCommon(c, volumes, p));
    if (c.image && c.image.trim() !== c.image) {
      errs.push(invalidValue(child(p, 'image'), c.image, 'must not have leading or trailing whitespace'));
    }
    if (all.has(ec.name)) errs.push(duplicate(child(p, 'name'), ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) {
      errs.push(notFound(child(p, 'targetContainerName'), ec.targetContainerName));
    }
    for (const f of FIELDS) {
      if (!f.allowed && isSet(c[f.name], f.kind))
        errs.push(forbidden(child(p, f.name), EPHEMERAL_FORBIDDEN_MSG));
    }
    (ec.volumeMounts ?? []).forEach((vm, j) => {
      const mp = index(child(p, 'volumeMounts'), j);
      if (vm.subPath) errs.push(forbidden(child(mp, 'subPath'), EPHEMERAL_FORBIDDEN_MSG));
      if (vm.subPathExpr) errs.push(forbidden(child(mp, 'subPathExpr'), EPHEMERAL_FORBIDDEN_MSG));
    });
  });
  return errs;
}

/**
 * Part 2 of ValidatePodEphemeralContainersUpdate: what pods/ephemeralcontainers may change.
 * Entries are matched by name (a patch does not keep their order); the spec, metadata and the
 * new entries themselves are validated by the caller as for any pod.
 */
export function validateEphemeralContainersUpdate(pod: Pod, old: Pod): FieldError[] {
  if (old.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    return [forbidden('', 'static pods do not support ephemeral containers')];
  }
  const path = 'spec.ephemeralContainers';
  const next = new Map((pod.spec?.ephemeralContainers ?? []).map((ec) => [ec.name, ec]));
  const errs: FieldError[] = [];
  for (const prev of old.spec?.ephemeralContainers ?? []) {
    const now = next.get(prev.name);
    if (!now) {
      errs.push(
        forbidden(path, `existing ephemeral containers ${JSON.stringify(prev.name)} may not be removed\n`),
      );
    } else if (!deepEqual(prev, now)) {
      const diff = describeDiff(prev, now, `${path}{${prev.name}}`).join('\n');
      errs.push(
        forbidden(
          path,
          `existing ephemeral containers ${JSON.stringify(prev.name)} may not be changed\n${diff}`,
        ),
      );
    }
  }
  return errs;
}
