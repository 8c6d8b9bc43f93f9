/**
 * PATCH: the four patch types kubectl sends, applied to the stored object, then written through
 * the registry's update path (so defaulting, validation and conflicts are the same as a PUT).
 * A patch or an apply configuration carrying metadata.resourceVersion is a precondition, as
 * upstream; one without it applies to the current object (the store is in-process and
 * synchronous, so no retry loop is needed between read and write).
 */
import type { ServerResponse } from 'node:http';
import type { UserInfo } from '../auth/user.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { applyJsonMergePatch } from '../patch/json-merge-patch.js';
import { applyJsonPatch } from '../patch/json-patch.js';
import { serverSideApply } from '../patch/server-side-apply.js';
import { applyStrategicMergePatch } from '../patch/strategic-merge.js';
import type { Registry } from '../registry/registry.js';
import type { Strategy } from '../registry/strategy.js';
import type { KubeObject } from '../types.js';
import { mediaType, parseJSON, parseYAML } from './body.js';
import { checkFieldTypes } from './field-types.js';
import { checkUnknownFields, type FieldValidation } from './field-validation.js';
import type { ResourceRequest } from './request-info.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export interface PatchOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: FieldValidation;
  force: boolean;
  statusOnly: boolean;
  now: Date;
  res: ServerResponse;
  /** The requesting user, passed on to the registry's write checks. */
  user?: UserInfo;
}

function asObject(v: unknown, s: Strategy): KubeObject {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw badRequest(`the patch result is not a ${s.info.kind} object`);
  }
  return v as KubeObject;
}

/** The patch's media type; anything but the four patch types is a 415. */
export function patchMediaType(contentType: string | undefined): string {
  const type = mediaType(contentType);
  if (!(PATCH_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`,
    );
  }
  return type;
}

/** What a patch reads and writes through: the registry, or a view of it in another version. */
export type PatchTarget = Pick<Registry, 'getStored' | 'createIn' | 'updateIn'>;

export function applyPatchRequest(
  registry: PatchTarget,
  s: Strategy,
  r: ResourceRequest,
  contentType: string | undefined,
  body: Buffer,
  o: PatchOptions,
): { object: KubeObject; created: boolean } {
  const type = patchMediaType(contentType);
  // Custom resources have no Go struct tags to merge by: upstream serves them no strategic merge.
  if (type === 'application/strategic-merge-patch+json' && s.info.customSchema) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.filter((t) => t !== type).join(', ')}`,
    );
  }
  if (body.length === 0) throw badRequest('the patch body is empty');
  const stored = registry.getStored(r.resource, r.namespace, r.name);
  const gk = { group: s.info.group, kind: s.info.kind };
  const write = { dryRun: o.dryRun, fieldManager: o.fieldManager, ...(o.user && { user: o.user }) };

  if (type === 'application/apply-patch+yaml') {
    const applied = asObject(parseYAML(body), s);
    checkFieldTypes(s.info, applied);
    checkUnknownFields(s.info, applied, o.fieldValidation, o.res);
    if (applied.metadata?.name && applied.metadata.name !== r.name) {
      throw badRequest(
        `the name of the object (${applied.metadata.name}) does not match the name on the URL (${r.name})`,
      );
    }
    const result = serverSideApply(stored ? structuredClone(stored.object) : undefined, applied, {
      manager: o.fieldManager,
      force: o.force,
      now: o.now,
      kind: gk,
      ...(o.statusOnly ? { subresource: 'status' } : {}),
    });
    if (!stored) {
      if (o.statusOnly) throw notFound(s.info, r.name);
      result.metadata.name = r.name;
      return {
        object: registry.createIn(r.resource, r.namespace, result, { ...write, managedFieldsDone: true }),
        created: true,
      };
    }
    // As upstream, a resourceVersion in the configuration stays in the merged object and so is a
    // precondition of the update (409 Conflict when stale); without one the apply is unconditional.
    const appliedRv = applied.metadata?.resourceVersion;
    result.metadata.resourceVersion =
      typeof appliedRv === 'string' && appliedRv !== '' ? appliedRv : stored.object.metadata.resourceVersion!;
    return {
      object: registry.updateIn(r.resource, r.namespace, r.name, result, o.statusOnly, {
        ...write,
        managedFieldsDone: true,
      }),
      created: false,
    };
  }

  if (!stored) throw notFound(s.info, r.name);
  const patch = parseJSON(body, 'patch');
  const live = structuredClone(stored.object);
  let patched: KubeObject;
  switch (type) {
    case 'application/json-patch+json':
      patched = asObject(applyJsonPatch(live, patch), s);
      break;
    case 'application/merge-patch+json':
      if (patch !== null && typeof patch === 'object' && !Array.isArray(patch)) {
        checkUnknownFields(s.info, patch as KubeObject, o.fieldValidation, o.res, true);
      }
      patched = asObject(applyJsonMergePatch(live, patch), s);
      break;
    default:
      if (patch !== null && typeof patch === 'object' && !Array.isArray(patch)) {
        checkUnknownFields(s.info, patch as KubeObject, o.fieldValidation, o.res, true);
      }
      patched = asObject(applyStrategicMergePatch(live, patch, gk), s);
  }
  // As upstream, the patched object is decoded into the kind's types: a wrong type is a 400.
  checkFieldTypes(s.info, patched);
  patched.metadata ??= {};
  // Without an explicit resourceVersion in the patch, the patch applies to what is stored now.
  const rvInPatch =
    patch !== null &&
    typeof patch === 'object' &&
    !Array.isArray(patch) &&
    typeof (patch as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion === 'string';
  if (!rvInPatch && type !== 'application/json-patch+json')
    patched.metadata.resourceVersion = stored.object.metadata.resourceVersion!;
  return {
    object: registry.updateIn(r.resource, r.namespace, r.name, patched, o.statusOnly, write),
    created: false,
  };
}
