/**
 * CustomResourceDefinition validation, as upstream's pkg/apis/apiextensions/validation
 * (ValidateCustomResourceDefinition and ValidateCustomResourceDefinitionUpdate): the
 * `<plural>.<group>` name, the names, scope, versions (exactly one storage version, unique
 * DNS-1035 names) and, for apiextensions.k8s.io/v1, a structural schema per version
 * (./schema-validation.ts).
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionNames,
} from 'kubernetes-types/apiextensions/v1';
import {
  type FieldError,
  forbidden,
  GoValue,
  invalidValue,
  notSupported,
  required,
} from '../../validation/field.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../validation/strings.js';
import { validateStructuralSchema } from './schema-validation.js';

function validateNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = names ?? ({} as CustomResourceDefinitionNames);
  const label = (field: string, value: string | undefined) => {
    const e = value ? isDNS1035Label(value) : [];
    if (e.length) errs.push(invalidValue(`${path}.${field}`, value, e.join(',')));
  };
  label('plural', n.plural);
  label('singular', n.singular);
  for (const [field, value] of [
    ['kind', n.kind],
    ['listKind', n.listKind],
  ] as const) {
    const e = value ? isDNS1035Label(value.toLowerCase()) : [];
    if (e.length)
      errs.push(
        invalidValue(
          `${path}.${field}`,
          value,
          `may have mixed case, but should otherwise match: ${e.join(',')}`,
        ),
      );
  }
  (n.shortNames ?? []).forEach((s, i) => {
    const e = isDNS1035Label(s);
    if (e.length) errs.push(invalidValue(`${path}.shortNames[${i}]`, s, e.join(',')));
  });
  if (n.kind && n.kind === n.listKind)
    errs.push(invalidValue(`${path}.listKind`, n.listKind, 'kind and listKind may not be the same'));
  (n.categories ?? []).forEach((c, i) => {
    const e = isDNS1035Label(c);
    if (e.length) errs.push(invalidValue(`${path}.categories[${i}]`, c, e.join(',')));
  });
  if (!n.plural) errs.push(required(`${path}.plural`));
  if (!n.singular) errs.push(required(`${path}.singular`));
  if (!n.kind) errs.push(required(`${path}.kind`));
  if (!n.listKind) errs.push(required(`${path}.listKind`));
  return errs;
}

/** Go's %#v of the versions slice is unreadable; upstream reports it whole, podbay lists the names. */
const versionsValue = (crd: CustomResourceDefinition) =>
  new GoValue(`[${(crd.spec?.versions ?? []).map((v) => v.name).join(' ')}]`);

export function validateCustomResourceDefinition(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  const group = spec?.group ?? '';
  const plural = spec?.names?.plural ?? '';
  if (crd.metadata?.name !== `${plural}.${group}`)
    errs.push(
      invalidValue('metadata.name', crd.metadata?.name ?? '', 'must be spec.names.plural+"."+spec.group'),
    );

  if (!group) errs.push(required('spec.group'));
  else {
    const e = isDNS1123Subdomain(group);
    if (e.length) errs.push(invalidValue('spec.group', group, e.join(',')));
    else if (group.split('.').length < 2)
      errs.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));
  }
  const scope = spec?.scope ?? '';
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));

  const versions = spec?.versions ?? [];
  if (versions.length === 0)
    errs.push(required('spec.versions', 'must have exactly one version marked as storage version'));
  const seen = new Set<string>();
  let storage = 0;
  let served = 0;
  versions.forEach((v, i) => {
    const p = `spec.versions[${i}]`;
    if (v.storage) storage++;
    if (v.served) served++;
    if (!v.name) errs.push(required(`${p}.name`));
    else {
      const e = isDNS1035Label(v.name);
      if (e.length) errs.push(invalidValue(`${p}.name`, v.name, e.join(',')));
      if (seen.has(v.name)) errs.push(invalidValue(`${p}.name`, v.name, 'must be unique'));
      seen.add(v.name);
    }
    const schema = v.schema?.openAPIV3Schema;
    if (!schema) errs.push(required(`${p}.schema.openAPIV3Schema`, 'schemas are required'));
    else errs.push(...validateStructuralSchema(schema, `${p}.schema.openAPIV3Schema`));
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = `${p}.additionalPrinterColumns[${j}]`;
      if (!c.name) errs.push(required(`${cp}.name`));
      if (!c.jsonPath) errs.push(required(`${cp}.JSONPath`));
      const types = ['integer', 'number', 'string', 'boolean', 'date'];
      if (!types.includes(c.type)) errs.push(notSupported(`${cp}.type`, c.type, types));
      if ((c.priority ?? 0) < 0)
        errs.push(invalidValue(`${cp}.priority`, c.priority, 'negative priorities are invalid'));
    });
    const sub = v.subresources;
    if (sub?.scale) {
      if (!sub.scale.specReplicasPath) errs.push(required(`${p}.subresources.scale.specReplicasPath`));
      if (!sub.scale.statusReplicasPath) errs.push(required(`${p}.subresources.scale.statusReplicasPath`));
    }
  });
  if (versions.length > 0 && storage !== 1)
    errs.push(
      invalidValue(
        'spec.versions',
        versionsValue(crd),
        'must have exactly one version marked as storage version',
      ),
    );
  if (versions.length > 0 && served === 0)
    errs.push(
      invalidValue('spec.versions', versionsValue(crd), 'must have at least one version marked as served'),
    );

  errs.push(...validateNames(spec?.names, 'spec.names'));
  const strategy = spec?.conversion?.strategy ?? 'None';
  if (strategy !== 'None' && strategy !== 'Webhook')
    errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (strategy === 'Webhook')
    errs.push(forbidden('spec.conversion.strategy', 'podbay does not call conversion webhooks; use None'));
  if (spec?.preserveUnknownFields === true)
    errs.push(
      invalidValue(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  return errs;
}

/** ValidateCustomResourceDefinitionUpdate: group and scope are immutable, stored versions stay. */
export function validateCustomResourceDefinitionUpdate(
  crd: CustomResourceDefinition,
  old: CustomResourceDefinition,
): FieldError[] {
  const errs: FieldError[] = [];
  if (crd.spec?.group !== old.spec?.group)
    errs.push(invalidValue('spec.group', crd.spec?.group, 'field is immutable'));
  if (crd.spec?.scope !== old.spec?.scope)
    errs.push(invalidValue('spec.scope', crd.spec?.scope, 'field is immutable'));
  const served = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  (old.status?.storedVersions ?? []).forEach((v, i) => {
    if (!served.has(v))
      errs.push(invalidValue(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
  });
  return errs;
}
