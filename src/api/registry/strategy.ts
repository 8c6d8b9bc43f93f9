/**
 * A strategy is one kind's behaviour inside the generic registry, as in kube-apiserver's
 * registry: the registry does CRUD, conflicts, generateName, finalizers and watch once; each
 * kind supplies these hooks. Call order on create: prepareForCreate → defaults → allocate → mutating
 * admission → afterAdmission → validate + validateCreate → validating admission. On update:
 * prepareForUpdate → defaults → allocate → mutating admission → validate + validateUpdate → validating
 * admission. Hooks mutate the object they are given (a private copy); validate hooks must not mutate.
 */

import type { KubeObject, ResourceInfo } from '../types.js';
import type { FieldError } from '../validation/field.js';
import type { TableConvertor } from './table.js';

export interface Strategy<T extends KubeObject = KubeObject> {
  readonly info: ResourceInfo;
  /** The kind has a status subresource: users cannot write status through the main resource. */
  readonly hasStatus: boolean;
  /** metadata.generation is set to 1 on create and bumped on every spec change. */
  readonly tracksGeneration: boolean;
  /** A PUT of a missing object creates it (upstream's AllowCreateOnUpdate). */
  readonly allowCreateOnUpdate: boolean;
  /** Validates metadata.name (DNS subdomain for most kinds, DNS label for namespaces and services). */
  readonly nameValidation: 'subdomain' | 'label' | 'label1035' | 'path-segment';
  /** Clears what a create may not set (status of most kinds). */
  prepareForCreate(obj: T): void;
  /** Copies from `old` what this write may not change (status through the main resource). */
  prepareForUpdate(obj: T, old: T): void;
  /** Sets upstream's defaults (SetDefaults_*), in place. */
  defaults(obj: T): void;
  /**
   * Assigns server-allocated fields (a Service's ClusterIP and NodePorts) after defaulting, on
   * create (`old` undefined) and update. Throws a 422 ApiError when a requested value is taken.
   */
  allocate?(obj: T, old: T | undefined): void;
  /**
   * On create, after the mutating admission plugins: sets what derives from the admitted object (a
   * pod's status.qosClass from the resources LimitRanger may have defaulted), as upstream's
   * PrepareForCreate sees the object only after mutating admission.
   */
  afterAdmission?(obj: T): void;
  validate(obj: T): FieldError[];
  /** Rules only a create must meet (upstream's create-only checks, e.g. ValidatePodCreate). */
  validateCreate(obj: T): FieldError[];
  validateUpdate(obj: T, old: T): FieldError[];
  readonly table: TableConvertor<T>;
  /**
   * Grace period to apply to a delete, or 0 to delete at once (upstream's CheckGracefulDelete).
   * Only pods are deleted gracefully: an unscheduled or finished pod goes at once.
   */
  gracePeriod?(obj: T, requested: number | undefined): number;
  /**
   * Other versions the same stored objects are served in (autoscaling/v1 next to the stored
   * autoscaling/v2 HorizontalPodAutoscaler), each converted on the way in and out, as
   * kube-apiserver's conversion between a resource's versions.
   */
  readonly versions?: readonly VersionView[];
}

/** One more served version of a kind: its discovery facts and the conversions to and from storage. */
export interface VersionView {
  readonly info: ResourceInfo;
  toStored(obj: KubeObject): KubeObject;
  fromStored(obj: KubeObject): KubeObject;
}

/** What the status subresource of a kind copies: everything but status comes from the stored object. */
export function keepAllButStatus<T extends KubeObject>(obj: T, old: T): void {
  for (const k of Object.keys(obj)) if (k !== 'status') delete (obj as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(old))
    if (k !== 'status') (obj as Record<string, unknown>)[k] = structuredClone(v);
}
