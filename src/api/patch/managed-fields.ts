/**
 * metadata.managedFields as a map of manager → owned field set, and back (apimachinery
 * managedfields: DecodeManagedFields, BuildManagerIdentifier, sortEncodedManagedFields).
 * A manager is identified by name, operation, subresource and, for Update only, apiVersion.
 */

import { FieldSet } from './field-set.js';
import { isObject, type JsonObject } from './json-value.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource?: string;
  /** RFC 3339, seconds precision; absent when unknown. */
  time?: string;
  set: FieldSet;
}

export type ManagedFields = Map<string, ManagerEntry>;

/** Upstream's manager identifier: the entry as JSON without time, fields and (for Apply) version. */
export function managerId(
  e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>,
): string {
  const id: JsonObject = { manager: e.manager, operation: e.operation };
  if (e.operation !== 'Apply' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** How conflicts name a manager: `"kubectl"`, `"kubectl-client-side-apply" using v1`. */
export function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** RFC 3339 at seconds precision, UTC, as metav1.Time marshals. */
export const rfc3339 = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/**
 * Decodes entries; malformed entries are skipped (upstream resets managed fields it cannot
 * decode rather than failing the write). Entries of one identity are united.
 */
export function decodeManagedFields(raw: unknown): ManagedFields {
  const out: ManagedFields = new Map();
  if (!Array.isArray(raw)) return out;
  for (const item of raw) {
    const entry = decodeEntry(item);
    if (!entry) continue;
    const id = managerId(entry);
    const prev = out.get(id);
    out.set(id, prev ? { ...entry, set: prev.set.union(entry.set) } : entry);
  }
  return out;
}

function decodeEntry(item: unknown): ManagerEntry | undefined {
  if (!isObject(item)) return undefined;
  const { manager, operation, apiVersion, time, subresource, fieldsType, fieldsV1 } = item;
  if (typeof manager !== 'string' || (operation !== 'Apply' && operation !== 'Update')) return undefined;
  if (fieldsType !== undefined && fieldsType !== 'FieldsV1') return undefined;
  let set: FieldSet;
  try {
    set = fieldsV1 === undefined ? new FieldSet() : FieldSet.fromFieldsV1(fieldsV1);
  } catch {
    return undefined;
  }
  return {
    manager,
    operation,
    apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
    ...(typeof subresource === 'string' && subresource ? { subresource } : {}),
    ...(typeof time === 'string' ? { time } : {}),
    set,
  };
}

/** Encodes entries in upstream's order: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managed: ManagedFields): JsonObject[] {
  const entries = [...managed.values()].filter((e) => !e.set.isEmpty());
  const seconds = (e: ManagerEntry): number => (e.time ? Math.floor(Date.parse(e.time) / 1000) || 0 : 0);
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  entries.sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      seconds(a) - seconds(b) ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource ?? '', b.subresource ?? ''),
  );
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    ...(e.time ? { time: e.time } : {}),
    fieldsType: 'FieldsV1',
    fieldsV1: e.set.toFieldsV1(),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}
