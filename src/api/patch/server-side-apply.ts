/**
 * Field ownership: server-side apply (`application/apply-patch+yaml`, `kubectl apply
 * --server-side`) and the `Update` entries every other write records in
 * metadata.managedFields, as apimachinery's FieldManager with structured-merge-diff does.
 *
 * Apply: the configuration is merged into the live object; the applier then owns exactly the
 * fields it sent. Fields it applied before and omits now are removed unless another manager
 * owns them. Changing a field another manager owns is a 409 Conflict unless `force`, which
 * takes the field over. Ownership is per field path; list items of keyed lists are owned by key.
 *
 * Not tracked (upstream's stripped set): apiVersion, kind, metadata.name, namespace, uid,
 * resourceVersion, generation, creationTimestamp, selfLink, managedFields; and `status` on the
 * main resource (the status subresource tracks only `status`).
 *
 * Not reproduced: the cap of 10 Update managers merged into "ancient-changes", conversion of
 * kubectl's last-applied annotation into Apply ownership, and version conversion of entries.
 */
import { badRequest } from '../errors.js';
import type { KubeObject } from '../types.js';
import { FieldSet } from './field-set.js';
import { FieldWalker } from './field-walk.js';
import { cloneJson, isObject, type JsonObject, jsonEqual } from './json-value.js';
import {
  decodeManagedFields,
  encodeManagedFields,
  type ManagedFields,
  managerId,
  rfc3339,
} from './managed-fields.js';
import { type KindRef, schemaFor } from './merge-schema.js';
import {
  kindOf,
  STRIPPED_METADATA,
  settleOwnership,
  tracked,
  trackUpdate,
  withoutManagedFields,
  withZeroStructs,
} from './ownership.js';
import { mergeApplied, removeFields } from './ssa-merge.js';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  now: Date;
  kind: KindRef;
  /** Set for applies through a subresource (`status`): only that part is owned. */
  subresource?: string;
}

export interface UpdateOptions {
  /** Set for writes through a subresource (`status`): only that part is tracked. */
  subresource?: string;
}

/** Upstream names the owner of fields that existed before an object's first apply so. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

/** Fields kept because `keep` owns them or something under them. */
function prunable(candidate: FieldSet, keep: FieldSet | undefined): FieldSet {
  const out = new FieldSet();
  for (const m of candidate.members) {
    const under = keep?.child(m);
    if (!keep?.members.has(m) && (!under || under.isEmpty())) out.members.add(m);
  }
  for (const [pe, c] of candidate.children) {
    const sub = prunable(c, keep?.child(pe));
    if (!sub.isEmpty()) out.children.set(pe, sub);
  }
  return out;
}

function validateApplied(
  applied: unknown,
  live: KubeObject | undefined,
  kind: KindRef,
): asserts applied is KubeObject {
  if (!isObject(applied)) throw badRequest('error decoding YAML: the apply configuration must be an object');
  if (typeof applied.apiVersion !== 'string' || typeof applied.kind !== 'string') {
    throw badRequest("error decoding YAML: Object 'Kind' is missing in the apply configuration");
  }
  if (!isObject(applied.metadata))
    throw badRequest('metadata: the apply configuration must set metadata.name');
  if (applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (live && applied.apiVersion !== live.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${live.apiVersion}`,
    );
  }
  if (applied.kind !== kind.kind) {
    throw badRequest(
      `the apply configuration's kind ${JSON.stringify(applied.kind)} does not match ${JSON.stringify(kind.kind)}`,
    );
  }
}

/**
 * Upsert by server-side apply; returns the new object with its managedFields. Pure. Throws
 * 400 for a malformed configuration and 409 for conflicts (unless `force`).
 */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  opts: ApplyOptions,
): KubeObject {
  validateApplied(applied, live, opts.kind);
  const walker = new FieldWalker(schemaFor(opts.kind));
  const managed = decodeManagedFields(live?.metadata.managedFields);
  const base = live
    ? withoutManagedFields(live)
    : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  if (live && managed.size === 0) {
    // Upstream's skip-non-applied manager: what exists before the first apply is owned by someone.
    const entry = { manager: BEFORE_FIRST_APPLY, operation: 'Update' as const, apiVersion: live.apiVersion };
    trackUpdate(
      walker,
      managed,
      entry,
      managerId(entry),
      withZeroStructs(undefined, opts.kind),
      withZeroStructs(live, opts.kind),
      opts.now,
    );
  }
  const sub = opts.subresource ? { subresource: opts.subresource } : {};
  const self = managerId({
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    ...sub,
  });

  const configSet = tracked(walker.toFieldSet(applied, true), opts.subresource);
  let merged = mergeApplied(walker, base, withoutNullSystemFields(applied)) as JsonObject;
  const previous = managed.get(self);
  managed.set(self, {
    manager: opts.manager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    ...sub,
    set: configSet,
    ...(previous?.time ? { time: previous.time } : {}),
  });
  if (previous && !previous.set.isEmpty()) {
    let keep = configSet;
    for (const [id, e] of managed) if (id !== self) keep = keep.union(e.set);
    merged = removeFields(walker, merged, prunable(previous.set.difference(configSet), keep)) as JsonObject;
  }
  settleOwnership(managed, self, walker.compareObjects(base, merged), opts.force, opts.subresource);

  const changed = !jsonEqual(base, merged);
  const entry = managed.get(self)!;
  if (changed || !entry.time) managed.set(self, { ...entry, time: rfc3339(opts.now) });
  // The unchanged case copies too: the result never shares structure with `live`.
  const result = (changed ? merged : cloneJson(base)) as KubeObject;
  const metadata = { ...(isObject(result.metadata) ? result.metadata : {}) } as JsonObject;
  metadata.managedFields = encodeManagedFields(managed);
  return { ...result, metadata } as KubeObject;
}

/**
 * Generated manifests carry `creationTimestamp: null`; merged as is it would erase the live
 * value. Those fields are not tracked, and the registry owns them, so their nulls are dropped.
 */
function withoutNullSystemFields(applied: KubeObject): KubeObject {
  const meta = { ...applied.metadata } as JsonObject;
  for (const f of STRIPPED_METADATA) if (meta[f] === null) delete meta[f];
  return { ...applied, metadata: meta } as KubeObject;
}

/**
 * Upstream's reset request: managedFields set to `[]` or `[{}]` strips every entry (and, on
 * an update, nothing is tracked afterwards until the next apply).
 */
const isReset = (mf: unknown): boolean =>
  Array.isArray(mf) &&
  (mf.length === 0 || (mf.length === 1 && isObject(mf[0]) && Object.keys(mf[0]).length === 0));

/** Upstream decodeLiveOrNew: the write's own managedFields win if they decode to something. */
function baseManagedFields(
  old: KubeObject | undefined,
  requested: unknown,
  subresource: string | undefined,
): ManagedFields {
  const fromLive = (): ManagedFields => decodeManagedFields(old?.metadata.managedFields);
  if (subresource) return fromLive();
  if (isReset(requested)) return new Map();
  const fromWrite = decodeManagedFields(requested);
  return fromWrite.size > 0 ? fromWrite : fromLive();
}

/**
 * Records the `Update` entry of a non-apply write (create, update, patch) by `manager` and
 * takes the fields it changed away from other managers, as upstream does for
 * `kubectl-client-side-apply`, `kubectl-edit`, controllers and so on. Mutates only
 * `updated.metadata.managedFields`; `old` is undefined for a create. As upstream, an update of
 * an object that has no managed fields starts no tracking (only creates and applies do).
 */
export function recordUpdateManagedFields(
  old: KubeObject | undefined,
  updated: KubeObject,
  manager: string,
  now: Date,
  opts: UpdateOptions = {},
): void {
  const meta = updated.metadata as JsonObject;
  const managed = baseManagedFields(old, meta.managedFields, opts.subresource);
  delete meta.managedFields;
  if (managed.size === 0 && old) return;
  const kind = kindOf(updated);
  const walker = new FieldWalker(schemaFor(kind));
  const entry = {
    manager,
    operation: 'Update' as const,
    apiVersion: updated.apiVersion,
    ...(opts.subresource ? { subresource: opts.subresource } : {}),
  };
  trackUpdate(
    walker,
    managed,
    entry,
    managerId(entry),
    withZeroStructs(old, kind),
    withZeroStructs(updated, kind),
    now,
  );
  const encoded = encodeManagedFields(managed);
  if (encoded.length > 0) meta.managedFields = encoded;
}
