/**
 * ObjectMeta rules on create and update, as apimachinery's api/validation/objectmeta.go.
 * Called by every kind's validate/validateUpdate; paths start at `metadata` unless given.
 */
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1';
import { type FieldError, forbidden, invalidValue, required } from './field.js';
import { validateAnnotations, validateLabels } from './labels.js';
import { type NameValidator, validateNamespaceName } from './names.js';
import { child } from './path.js';
import { isQualifiedName } from './strings.js';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';

/** Structural equality of decoded JSON values (upstream's Semantic.DeepEqual for our data). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) if (!deepEqual(ao[k], bo[k])) return false;
  return true;
}

/** `path: Invalid value: <new>: field is immutable` when the value changed. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [invalidValue(path, newVal ?? null, FIELD_IMMUTABLE)];
}

export function validateNonnegativeField(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [invalidValue(path, value, IS_NEGATIVE)] : [];
}

/** Kinds that may never own another object (upstream's BannedOwners). */
const BANNED_OWNERS = new Set(['/v1, Kind=Event']);

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

function validateOwnerReference(ref: OwnerReference, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const gv = splitApiVersion(ref.apiVersion ?? '');
  if (!gv.version)
    errs.push(invalidValue(child(path, 'apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!ref.kind) errs.push(invalidValue(child(path, 'kind'), ref.kind ?? '', 'must not be empty'));
  if (!ref.name) errs.push(invalidValue(child(path, 'name'), ref.name ?? '', 'must not be empty'));
  if (!ref.uid) errs.push(invalidValue(child(path, 'uid'), ref.uid ?? '', 'must not be empty'));
  const gvk = `${gv.group}/${gv.version}, Kind=${ref.kind ?? ''}`;
  if (BANNED_OWNERS.has(gvk)) errs.push(invalidValue(path, ref, `${gvk} is disallowed from being an owner`));
  return errs;
}

export function validateOwnerReferences(refs: OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          invalidValue(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = finalizers ?? [];
  for (const f of list) for (const msg of isQualifiedName(f)) errs.push(invalidValue(path, f, msg));
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalidValue(path, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** Checks shared by create and update: namespace scope, labels, annotations, owners, finalizers. */
function validateMetaCommon(meta: ObjectMeta, requiresNamespace: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requiresNamespace) {
    if (!meta.namespace) errs.push(required(child(path, 'namespace'), ''));
    else
      for (const msg of validateNamespaceName(meta.namespace, false)) {
        errs.push(invalidValue(child(path, 'namespace'), meta.namespace, msg));
      }
  } else if (meta.namespace) {
    errs.push(forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegativeField(meta.generation, child(path, 'generation')));
  errs.push(...validateLabels(meta.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(meta.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, child(path, 'finalizers')));
  return errs;
}

/**
 * Metadata on create. Expects name generation to have run already (the registry fills `name`
 * from `generateName`); a bad generateName is still reported against `generateName`.
 */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  requiresNamespace: boolean,
  nameValidator: NameValidator,
  path = 'metadata',
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of nameValidator(m.generateName, true)) {
      errs.push(invalidValue(child(path, 'generateName'), m.generateName, msg));
    }
  }
  if (!m.name) errs.push(required(child(path, 'name'), 'name or generateName is required'));
  else
    for (const msg of nameValidator(m.name, false)) errs.push(invalidValue(child(path, 'name'), m.name, msg));
  errs.push(...validateMetaCommon(m, requiresNamespace, path));
  return errs;
}

/** Metadata on update: identity and timestamps are immutable; no new finalizers while deleting. */
export function validateObjectMetaUpdate(
  newMeta: ObjectMeta | undefined,
  oldMeta: ObjectMeta | undefined,
  path = 'metadata',
): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const extra = [...new Set(n.finalizers ?? [])].filter((f) => !old.has(f)).sort();
    if (extra.length > 0) {
      errs.push(
        forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(', ')}}`,
        ),
      );
    }
  }
  if (!n.resourceVersion) {
    errs.push(
      invalidValue(
        child(path, 'resourceVersion'),
        n.resourceVersion ?? '',
        'must be specified for an update',
      ),
    );
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(invalidValue(child(path, 'generation'), n.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutableField(n.name ?? '', o.name ?? '', child(path, 'name')));
  errs.push(...validateImmutableField(n.namespace ?? '', o.namespace ?? '', child(path, 'namespace')));
  errs.push(...validateImmutableField(n.uid ?? '', o.uid ?? '', child(path, 'uid')));
  errs.push(
    ...validateImmutableField(n.creationTimestamp, o.creationTimestamp, child(path, 'creationTimestamp')),
  );
  errs.push(
    ...validateImmutableField(n.deletionTimestamp, o.deletionTimestamp, child(path, 'deletionTimestamp')),
  );
  errs.push(
    ...validateImmutableField(
      n.deletionGracePeriodSeconds,
      o.deletionGracePeriodSeconds,
      child(path, 'deletionGracePeriodSeconds'),
    ),
  );
  errs.push(...validateLabels(n.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(n.finalizers, child(path, 'finalizers')));
  return errs;
}
