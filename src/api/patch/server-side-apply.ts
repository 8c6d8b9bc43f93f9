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
import { ApiError, badRequest, type StatusCause } from '../errors.js';
import type { KubeObject } from '../types.js';
import { isObject, type JsonObject, jsonEqual } from './json-value.js';
import { FieldSet, fieldElement, pathString } from './field-set.js';
import { type Comparison, FieldWalker } from './field-walk.js';
import { decodeManagedFields, encodeManagedFields, type ManagedFields, type ManagerEntry, managerId, printManager, rfc3339 } from './managed-fields.js';
import { type KindRef, schemaFor, zeroValueStructs } from './merge-schema.js';
import { mergeApplied, removeFields } from './ssa-merge.js';

export interface ApplyOptions {
  manager: string;
  force: boolean;
  now: Date;
  kind: KindRef;
}

export interface UpdateOptions {
  /** Set for writes through a subresource (`status`): only that part is tracked. */
  subresource?: string;
}

const STRIPPED_METADATA = ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'];

/** The set with untracked fields removed (see the header). */
function tracked(set: FieldSet, subresource: string | undefined): FieldSet {
  const out = set.copy();
  if (subresource === 'status') {
    for (const pe of [...out.members, ...out.children.keys()]) {
      if (pe !== fieldElement('status')) {
        out.members.delete(pe);
        out.children.delete(pe);
      }
    }
    return out;
  }
  for (const f of ['apiVersion', 'kind', 'status']) {
    out.members.delete(fieldElement(f));
    if (f === 'status') out.children.delete(fieldElement(f));
  }
  out.members.delete(fieldElement('metadata'));
  const meta = out.children.get(fieldElement('metadata'));
  for (const f of STRIPPED_METADATA) {
    meta?.members.delete(fieldElement(f));
    meta?.children.delete(fieldElement(f));
  }
  return out;
}

const kindOf = (obj: KubeObject): KindRef => {
  const slash = obj.apiVersion.indexOf('/');
  return { group: slash < 0 ? '' : obj.apiVersion.slice(0, slash), kind: obj.kind };
};

function withoutManagedFields(obj: unknown): JsonObject {
  if (!isObject(obj)) return {};
  const meta = isObject(obj.metadata) ? { ...obj.metadata } : undefined;
  if (meta) delete meta.managedFields;
  return meta ? { ...obj, metadata: meta } : { ...obj };
}

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

interface Conflict {
  entry: ManagerEntry;
  id: string;
  paths: string[];
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = [];
  for (const c of conflicts) {
    for (const p of c.paths) causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(c.entry)}`, field: p });
  }
  let message: string;
  if (causes.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.entry)}: ${conflicts[0]!.paths[0]}`;
  } else {
    const lines: string[] = [];
    for (const c of [...conflicts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      lines.push(`conflicts with ${printManager(c.entry)}:`, ...c.paths.map((p) => `- ${p}`));
    }
    message = `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

/**
 * Takes away from every manager but `self` the fields the change removed, and the fields it
 * added or modified (those are conflicts: an error unless `force`). Upstream Updater.update.
 */
function settleOwnership(managed: ManagedFields, self: string, cmp: Comparison, force: boolean, subresource: string | undefined): void {
  const changed = tracked(cmp.modified.union(cmp.added), subresource);
  const removed = tracked(cmp.removed, subresource);
  const conflicts: Conflict[] = [];
  for (const [id, entry] of managed) {
    if (id === self) continue;
    const overlap = entry.set.intersection(changed);
    if (!overlap.isEmpty()) conflicts.push({ entry, id, paths: overlap.paths().map(pathString) });
  }
  if (!force && conflicts.length > 0) throw conflictError(conflicts);
  for (const [id, entry] of managed) {
    if (id === self) continue;
    const set = entry.set.difference(changed).difference(removed);
    if (set.isEmpty()) managed.delete(id);
    else managed.set(id, { ...entry, set });
  }
}

function validateApplied(applied: unknown, live: KubeObject | undefined, kind: KindRef): asserts applied is KubeObject {
  if (!isObject(applied)) throw badRequest('error decoding YAML: the apply configuration must be an object');
  if (typeof applied.apiVersion !== 'string' || typeof applied.kind !== 'string') {
    throw badRequest('error decoding YAML: Object \'Kind\' is missing in the apply configuration');
  }
  if (!isObject(applied.metadata)) throw badRequest('metadata: the apply configuration must set metadata.name');
  if (applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
  if (live && applied.apiVersion !== live.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${live.apiVersion}`,
    );
  }
  if (applied.kind !== kind.kind) {
    throw badRequest(`the apply configuration's kind ${JSON.stringify(applied.kind)} does not match ${JSON.stringify(kind.kind)}`);
  }
}

/** Upsert by server-side apply; returns the new object with its managedFields. Pure. */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  validateApplied(applied, live, opts.kind);
  const walker = new FieldWalker(schemaFor(opts.kind));
  const managed = decodeManagedFields(live?.metadata.managedFields);
  const self = managerId({ manager: opts.manager, operation: 'Apply', apiVersion: applied.apiVersion });
  const base = live ? withoutManagedFields(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };

  const configSet = tracked(walker.toFieldSet(applied, true), undefined);
  let merged = mergeApplied(walker, base, applied) as JsonObject;
  const previous = managed.get(self);
  const previousTime = previous?.time;
  managed.set(self, { manager: opts.manager, operation: 'Apply', apiVersion: applied.apiVersion, set: configSet, ...(previousTime ? { time: previousTime } : {}) });
  if (previous && !previous.set.isEmpty()) {
    let keep = configSet;
    for (const [id, e] of managed) if (id !== self) keep = keep.union(e.set);
    merged = removeFields(walker, merged, prunable(previous.set.difference(configSet), keep)) as JsonObject;
  }
  settleOwnership(managed, self, walker.compareObjects(base, merged), opts.force, undefined);

  const changed = !jsonEqual(base, merged);
  const entry = managed.get(self)!;
  if (changed || !entry.time) managed.set(self, { ...entry, time: rfc3339(opts.now) });
  const result = (changed ? merged : base) as KubeObject;
  const metadata = { ...(isObject(result.metadata) ? result.metadata : {}) } as JsonObject;
  metadata.managedFields = encodeManagedFields(managed);
  return { ...result, metadata } as KubeObject;
}

/** The object upstream compares a create against: the kind's empty value. */
function emptyLike(obj: KubeObject): JsonObject {
  const empty: JsonObject = { metadata: {} };
  for (const path of zeroValueStructs(kindOf(obj))) {
    let node = empty;
    for (const seg of path.split('.')) {
      if (!isObject(node[seg])) node[seg] = {};
      node = node[seg] as JsonObject;
    }
  }
  return empty;
}

/** Upstream's explicit reset: `managedFields: [{}]` strips every entry and records nothing. */
const isReset = (mf: unknown): boolean => Array.isArray(mf) && mf.length === 1 && isObject(mf[0]) && Object.keys(mf[0]).length === 0;

/**
 * Records the `Update` entry of a non-apply write (create, update, patch) by `manager` and
 * takes changed fields away from other managers. Mutates `updated.metadata.managedFields`
 * (only that); `old` is undefined for a create. A write that changes nothing tracked records
 * nothing. If the write itself set different, valid managedFields, those are the base.
 */
export function recordUpdateManagedFields(
  old: KubeObject | undefined,
  updated: KubeObject,
  manager: string,
  now: Date,
  opts: UpdateOptions = {},
): void {
  const meta = updated.metadata as JsonObject;
  const requested = meta.managedFields;
  if (isReset(requested)) {
    delete meta.managedFields;
    return;
  }
  const oldFields = old?.metadata.managedFields;
  const userSet = requested !== undefined && Array.isArray(requested) && requested.length > 0 && !jsonEqual(requested, oldFields);
  const managed = decodeManagedFields(userSet ? requested : oldFields);
  const walker = new FieldWalker(schemaFor(kindOf(updated)));
  const before = old ? withoutManagedFields(old) : emptyLike(updated);
  const cmp = walker.compareObjects(before, withoutManagedFields(updated));
  const self = managerId({ manager, operation: 'Update', apiVersion: updated.apiVersion, ...(opts.subresource ? { subresource: opts.subresource } : {}) });
  settleOwnership(managed, self, cmp, true, opts.subresource);

  const ownNow = tracked(cmp.added.union(cmp.modified), opts.subresource);
  const previous = managed.get(self);
  const kept = previous ? previous.set.difference(tracked(cmp.removed, opts.subresource)) : new FieldSet();
  if (!ownNow.isEmpty()) {
    managed.set(self, {
      manager,
      operation: 'Update',
      apiVersion: updated.apiVersion,
      ...(opts.subresource ? { subresource: opts.subresource } : {}),
      time: rfc3339(now),
      set: kept.union(ownNow),
    });
  } else if (previous) {
    managed.set(self, { ...previous, set: kept });
  }
  const encoded = encodeManagedFields(managed);
  if (encoded.length > 0) meta.managedFields = encoded;
  else delete meta.managedFields;
}
