/**
 * The admission seam, as k8s.io/apiserver/pkg/admission: plugins see every create and update the
 * registry is about to write, after decoding and defaulting, and may change it (mutating, `admit`)
 * or refuse it (validating, `validate`). The registry runs them in upstream's order:
 *
 *   create: defaults → admit (every plugin, in order) → strategy validation → validate → store
 *   update: defaults → admit → strategy validation → validate → store
 *
 * Dry-run requests run both phases and write nothing (plugins that persist side effects, as the
 * quota plugin's charge, check `dryRun`). A refusal is a 403 Forbidden ApiError shaped as
 * upstream's admission.NewForbidden (`pods "x" is forbidden: ...`), made with `admissionForbidden`.
 * Deletes and connect verbs are not admitted: no plugin podbay runs acts on them.
 */
import type { UserInfo } from '../auth/user.js';
import { forbidden } from '../errors.js';
import type { KubeObject, ResourceInfo } from '../types.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE';

/** What plugins may read and the one write they may make (a quota's status, through the registry). */
export interface AdmissionContext {
  /** The stored objects of a resource in a namespace (shared, not copies: never mutate them). */
  list(resource: string, namespace: string): readonly KubeObject[];
  /** PUT to the /status subresource, guarded by metadata.resourceVersion (a stale one is a 409). */
  updateStatus<T extends KubeObject>(resource: string, obj: T): T;
  /** The registry's clock. */
  now(): Date;
}

/** admission.Attributes: one request as plugins see it. */
export interface AdmissionAttributes {
  readonly operation: AdmissionOperation;
  readonly resource: ResourceInfo;
  /** '' for the main resource, `status` for the status subresource. */
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** The object to be written; mutating plugins change it in place. */
  readonly object: KubeObject;
  /** The stored object an update replaces; undefined on create. */
  readonly oldObject: KubeObject | undefined;
  readonly dryRun: boolean;
  /** Who asks, for requests that came over HTTP; undefined for in-process writers (controllers). */
  readonly user?: UserInfo;
  readonly context: AdmissionContext;
}

export interface AdmissionPlugin {
  /** Upstream's plugin name (`LimitRanger`, `ResourceQuota`). */
  readonly name: string;
  /** Mutating phase: may change `attrs.object`; throws an ApiError to refuse. */
  admit?(attrs: AdmissionAttributes): void;
  /** Validating phase: must not change the object; throws an ApiError to refuse. */
  validate?(attrs: AdmissionAttributes): void;
}

/**
 * admission.NewForbidden: `<resource> "<name>" is forbidden: <message>`, with upstream's details
 * (name, group, kind = the resource). The name is the request's, else the object's, else its
 * generateName, else "Unknown" (extractResourceName).
 */
export function admissionForbidden(attrs: AdmissionAttributes, message: string) {
  const { group, resource } = attrs.resource;
  const name = attrs.name || attrs.object.metadata?.name || attrs.object.metadata?.generateName || 'Unknown';
  const qualified = group ? `${resource}.${group}` : resource;
  return forbidden(`${qualified} "${name}" is forbidden: ${message}`, {
    name,
    ...(group ? { group } : {}),
    kind: resource,
  });
}

/** Runs the mutating phase of every plugin, in order. */
export function runAdmit(plugins: readonly AdmissionPlugin[], attrs: AdmissionAttributes): void {
  for (const p of plugins) p.admit?.(attrs);
}

/** Runs the validating phase of every plugin, in order. */
export function runValidate(plugins: readonly AdmissionPlugin[], attrs: AdmissionAttributes): void {
  for (const p of plugins) p.validate?.(attrs);
}

/**
 * utilerrors.NewAggregate(errs).Error(): one message alone, several deduplicated and joined as
 * `[a, b]`, as upstream's plugins report a list of violations.
 */
export function aggregateMessages(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}
