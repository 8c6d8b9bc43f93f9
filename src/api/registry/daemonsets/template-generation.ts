/**
 * The `deprecated.daemonset.template.generation` annotation: apps/v1's form of the internal
 * spec.templateGeneration (pkg/apis/apps/v1/conversion.go), which the strategy keeps as
 * pkg/registry/apps/daemonset/strategy.go does: 1 on create (or the client's value, if higher),
 * the old value + 1 when an update changes spec.template, else the old value. The controller
 * stamps it on pods as the `pod-template-generation` label.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import { deepEqual } from '../../validation/objectmeta.js';
import { defaultPodTemplateSpec } from '../../validation/podspec-defaults.js';
import type { Writable } from '../define.js';

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

/** The DaemonSet's template generation; undefined when the annotation is missing or not an integer. */
export function templateGenerationOf(ds: DaemonSet): number | undefined {
  const v = ds.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  return v !== undefined && /^-?\d+$/.test(v) ? Number.parseInt(v, 10) : undefined;
}

function setTemplateGeneration(ds: Writable<DaemonSet>, generation: number): void {
  ds.metadata ??= {};
  ds.metadata.annotations = {
    ...ds.metadata.annotations,
    [TEMPLATE_GENERATION_ANNOTATION]: String(generation),
  };
}

export function prepareDaemonSetForCreate(ds: Writable<DaemonSet>): void {
  delete ds.status;
  setTemplateGeneration(ds, Math.max(templateGenerationOf(ds) ?? 0, 1));
}

export function prepareDaemonSetForUpdate(ds: Writable<DaemonSet>, old: DaemonSet): void {
  if (old.status === undefined) delete ds.status;
  else ds.status = structuredClone(old.status);
  const oldGeneration = templateGenerationOf(old) ?? 1;
  // The registry defaults after this hook; compare the template as it will be stored.
  const template = structuredClone(ds.spec?.template ?? {});
  defaultPodTemplateSpec(template);
  const changed = !deepEqual(template, old.spec?.template);
  setTemplateGeneration(ds, changed ? oldGeneration + 1 : oldGeneration);
}
