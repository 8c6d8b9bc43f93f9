/**
 * Builds meta.k8s.io/v1 Table and PartialObjectMetadata bodies from stored objects using the
 * kind's TableConvertor. `rows[].object` is PartialObjectMetadata (kubectl needs it for the
 * NAMESPACE column and --show-labels) unless the client asked otherwise with includeObject.
 */

import type { Strategy } from '../registry/strategy.js';
import type { KubeObject } from '../types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject): KubeObject {
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata };
}

/** `asServed` turns a stored object into the requested version (includeObject=Object embeds it). */
export function tableRow(
  s: Strategy,
  obj: KubeObject,
  now: Date,
  include: IncludeObject,
  asServed?: (o: KubeObject) => KubeObject,
) {
  const row: { cells: unknown[]; object?: unknown } = { cells: s.table.row(obj, now) };
  if (include === 'Metadata') row.object = partialObjectMetadata(obj);
  else if (include === 'Object') row.object = asServed ? asServed(obj) : obj;
  return row;
}

export function buildTable(
  s: Strategy,
  objects: readonly KubeObject[],
  now: Date,
  resourceVersion: string,
  include: IncludeObject,
  withColumns = true,
  asServed?: (o: KubeObject) => KubeObject,
) {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: withColumns ? s.table.columns : [],
    rows: objects.map((o) => tableRow(s, o, now, include, asServed)),
  };
}
