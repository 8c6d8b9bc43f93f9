/**
 * `kubectl get controllerrevisions` columns (printers.go printControllerRevision):
 *   Name, Controller, Revision, Age. Controller is `<kind>.<group>/<name>` of the controller
 * reference, lower-cased as formatResourceName prints a GroupKind, or "<none>".
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1';
import { NONE } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// appsv1beta1.ControllerRevision SwaggerDoc()["revision"], v0.32.
const REVISION_DOC = 'revision indicates the revision of the state represented by Data.';

/** formatResourceName(GroupKind, name, withKind=true): `daemonset.apps/web`, `pod/x` for core. */
function controllerCell(rev: ControllerRevision): string {
  const ref = rev.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return NONE;
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return `${groupKind.toLowerCase()}/${ref.name}`;
}

export const controllerRevisionTable: TableConvertor<ControllerRevision> = {
  columns: [
    NAME_COLUMN,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', REVISION_DOC),
    AGE_COLUMN,
  ],
  row: (rev, now) => [
    rev.metadata?.name ?? '',
    controllerCell(rev),
    rev.revision ?? 0,
    ageOf(rev.metadata, now),
  ],
};
