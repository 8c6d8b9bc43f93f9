/**
 * What a pod update may change, as upstream's ValidatePodUpdate: container images,
 * activeDeadlineSeconds (set, or lowered), tolerations (additions, or tolerationSeconds),
 * scheduling gates (removals), and terminationGracePeriodSeconds from negative to 1. Anything
 * else is refused with upstream's Forbidden message followed by a diff of what changed.
 */
import type { Container, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { type FieldError, forbidden, invalidValue, required } from './field-extra.js';
import { deepEqual } from './objectmeta.js';
import { child, index } from './path.js';
import { validateTolerations } from './podspec.js';
import { inclusiveRangeError } from './strings.js';

const MAX_INT32 = 2_147_483_647;

/** Upstream's exact wording; a diff of the refused changes follows it on the next lines. */
export const POD_UPDATE_FORBIDDEN_MSG =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validateContainerUpdates(
  next: Container[] | undefined,
  prev: Container[] | undefined,
  path: string,
): { errs: FieldError[]; stop: boolean } {
  const n = next ?? [];
  if (n.length !== (prev ?? []).length)
    return { errs: [forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    if (!c.image) errs.push(required(child(index(path, i), 'image'), ''));
    else if (c.image.trim() !== c.image) {
      errs.push(
        invalidValue(child(index(path, i), 'image'), c.image, 'must not have leading or trailing whitespace'),
      );
    }
  });
  return { errs, stop: false };
}

function validateOnlyAddedTolerations(
  next: Toleration[] | undefined,
  prev: Toleration[] | undefined,
  path: string,
): FieldError[] {
  for (const old of prev ?? []) {
    // tolerationSeconds of an existing toleration may change; nothing else of it may.
    const kept = (next ?? []).some((t) => deepEqual({ ...old, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept)
      return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(next, path);
}

/** Leaf-level differences as `-`/`+` lines: a readable stand-in for upstream's cmp.Diff. */
export function describeDiff(prev: unknown, next: unknown, path: string, out: string[] = []): string[] {
  if (deepEqual(prev, next)) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObj(prev) && isObj(next) && Array.isArray(prev) === Array.isArray(next)) {
    const keys = Array.isArray(prev)
      ? Array.from({ length: Math.max(prev.length, (next as unknown as unknown[]).length) }, (_, i) =>
          String(i),
        )
      : [...new Set([...Object.keys(prev), ...Object.keys(next)])];
    for (const k of keys) {
      const p = Array.isArray(prev) ? `${path}[${k}]` : child(path, k);
      describeDiff(prev[k as keyof typeof prev], next[k as keyof typeof next], p, out);
    }
    return out;
  }
  if (prev !== undefined) out.push(`- \t${path}: ${JSON.stringify(prev)}`);
  if (next !== undefined) out.push(`+ \t${path}: ${JSON.stringify(next)}`);
  return out;
}

/** The spec rules of a pod update; metadata and the full spec validation run separately. */
export function validatePodSpecUpdate(next: PodSpec, prev: PodSpec, path = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    const r = validateContainerUpdates(next[list], prev[list], child(path, list));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const adsPath = child(path, 'activeDeadlineSeconds');
  if (next.activeDeadlineSeconds !== undefined && next.activeDeadlineSeconds !== null) {
    const v = next.activeDeadlineSeconds;
    if (v < 0 || v > MAX_INT32) return [...errs, invalidValue(adsPath, v, inclusiveRangeError(0, MAX_INT32))];
    if (prev.activeDeadlineSeconds !== undefined && prev.activeDeadlineSeconds < v) {
      return [...errs, invalidValue(adsPath, v, 'must be less than or equal to previous value')];
    }
  } else if (prev.activeDeadlineSeconds !== undefined) {
    errs.push(invalidValue(adsPath, null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...validateOnlyAddedTolerations(next.tolerations, prev.tolerations, child(path, 'tolerations')));
  const nextGates = (next as { schedulingGates?: { name: string }[] }).schedulingGates ?? [];
  const prevGates = new Set(
    ((prev as { schedulingGates?: { name: string }[] }).schedulingGates ?? []).map((g) => g.name),
  );
  nextGates.forEach((g, i) => {
    if (!prevGates.has(g.name)) {
      errs.push(
        forbidden(
          child(index(child(path, 'schedulingGates'), i), 'name'),
          `only deletion is allowed, but found new scheduling gate '${g.name}'`,
        ),
      );
    }
  });
  if (deepEqual(next, prev)) return errs;

  // Put the old values back into every field that may change, then compare what is left.
  const munged: PodSpec = structuredClone(next);
  const restoreImages = (list: 'containers' | 'initContainers'): void => {
    munged[list]?.forEach((c, i) => {
      c.image = prev[list]![i]!.image;
    });
  };
  restoreImages('containers');
  restoreImages('initContainers');
  munged.activeDeadlineSeconds = prev.activeDeadlineSeconds;
  (munged as { schedulingGates?: unknown }).schedulingGates = (
    prev as { schedulingGates?: unknown }
  ).schedulingGates;
  munged.tolerations = prev.tolerations;
  if ((prev.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = prev.terminationGracePeriodSeconds;
  }
  const cleaned = JSON.parse(JSON.stringify(munged)) as PodSpec;
  if (!deepEqual(cleaned, prev)) {
    const diff = describeDiff(prev, cleaned, path).join('\n');
    errs.push(forbidden(path, `${POD_UPDATE_FORBIDDEN_MSG}\n${diff}`));
  }
  return errs;
}
