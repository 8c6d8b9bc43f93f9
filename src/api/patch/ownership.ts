/**
 * Ownership bookkeeping shared by server-side apply and update tracking (structured-merge-diff
 * Updater.update and apimachinery's stripMeta manager): which fields are tracked at all, and
 * how a change moves fields between managers.
 */
import { ApiError, type StatusCause } from '../errors.js';
import type { KubeObject } from '../types.js';
import { FieldSet, fieldElement, pathString } from './field-set.js';
import type { Comparison, FieldWalker } from './field-walk.js';
import { isObject, type JsonObject } from './json-value.js';
import { type ManagedFields, type ManagerEntry, printManager, rfc3339 } from './managed-fields.js';
import { type KindRef, zeroValueStructs } from './merge-schema.js';

/**
 * ObjectMeta fields nobody owns (upstream stripMetaManager); with apiVersion, kind and, on the
 * main resource, status. The registry sets them, so apply configurations cannot claim them.
 */
export const STRIPPED_METADATA = [
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'clusterName',
  'generation',
  'managedFields',
  'resourceVersion',
];

/** `set` without the untracked fields; a status-subresource write tracks `status` only. */
export function tracked(set: FieldSet, subresource: string | undefined): FieldSet {
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

/** The kind of an object from its apiVersion (`apps/v1` → group `apps`) and kind. */
export const kindOf = (obj: KubeObject): KindRef => {
  const slash = obj.apiVersion.indexOf('/');
  return { group: slash < 0 ? '' : obj.apiVersion.slice(0, slash), kind: obj.kind };
};

/** A shallow copy of `obj` whose metadata lacks managedFields (values are shared, not copied). */
export function withoutManagedFields(obj: unknown): JsonObject {
  if (!isObject(obj)) return {};
  const meta = isObject(obj.metadata) ? { ...obj.metadata } : undefined;
  if (meta) delete meta.managedFields;
  return meta ? { ...obj, metadata: meta } : { ...obj };
}

interface Conflict {
  entry: ManagerEntry;
  id: string;
  paths: string[];
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes: StatusCause[] = [];
  for (const c of conflicts) {
    for (const p of c.paths)
      causes.push({
        reason: 'FieldManagerConflict',
        message: `conflict with ${printManager(c.entry)}`,
        field: p,
      });
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
export function settleOwnership(
  managed: ManagedFields,
  self: string,
  cmp: Comparison,
  force: boolean,
  subresource: string | undefined,
): void {
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

/**
 * `obj` (or the empty object, for a create) with the kind's non-pointer structs present, as
 * upstream's typed objects always have them: they then never count as added maps.
 */
export function withZeroStructs(obj: KubeObject | undefined, kind: KindRef): JsonObject {
  const out = obj ? withoutManagedFields(obj) : { metadata: {} };
  for (const path of zeroValueStructs(kind)) {
    let node = out;
    for (const seg of path.split('.')) {
      if (node[seg] === undefined) node[seg] = {};
      else if (isObject(node[seg])) node[seg] = { ...node[seg] };
      else break;
      node = node[seg] as JsonObject;
    }
  }
  return out;
}

/**
 * Records what `before` → `after` changed as owned by the Update manager `self`, taking the
 * changed fields from everyone else (upstream's Update with force). Returns false when the
 * change touched nothing tracked (then nothing is recorded).
 */
export function trackUpdate(
  walker: FieldWalker,
  managed: ManagedFields,
  entry: Omit<ManagerEntry, 'set' | 'time'>,
  self: string,
  before: JsonObject,
  after: JsonObject,
  now: Date,
): boolean {
  const cmp = walker.compareObjects(before, after);
  settleOwnership(managed, self, cmp, true, entry.subresource);
  const ownNow = tracked(cmp.added.union(cmp.modified), entry.subresource);
  const previous = managed.get(self);
  const kept = previous ? previous.set.difference(tracked(cmp.removed, entry.subresource)) : new FieldSet();
  if (!ownNow.isEmpty()) {
    managed.set(self, { ...entry, time: rfc3339(now), set: kept.union(ownNow) });
    return true;
  }
  if (previous) managed.set(self, { ...previous, set: kept });
  return false;
}
