/**
 * Node validation, as upstream's ValidateNode / ValidateNodeUpdate: a DNS-subdomain name, taints
 * (qualified keys, label values, known effects, unique key+effect), pod CIDRs, and podCIDRs /
 * providerID that may not change once set.
 *
 * Contract with the registry (registry/registry.ts): it checks ObjectMeta itself, then calls
 * `validate` on create and update and `validateUpdate` on update, so `validate` holds the kind's
 * own rules and `validateUpdate` only those that compare with the old object.
 */
import type { Node, Taint } from 'kubernetes-types/core/v1';
import { validateKubeFinalizerNames } from '../../validation/core-meta.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import { validateLabelName } from '../../validation/labels.js';
import { child, index } from '../../validation/path.js';
import { isValidLabelValue } from '../../validation/strings.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** `path` is what upstream passes: `metadata.taints` (sic), kept so messages match. */
function validateTaints(taints: Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key ?? '', child(p, 'key')));
    const msgs = isValidLabelValue(t.value ?? '');
    if (msgs.length > 0) errs.push(invalidValue(child(p, 'value'), t.value ?? '', msgs.join(';')));
    if (!t.effect) errs.push(required(child(p, 'effect'), ''));
    else if (!TAINT_EFFECTS.includes(t.effect))
      errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const id = `${t.effect}\u0000${t.key}`;
    if (seen.has(id)) {
      errs.push({
        type: 'FieldValueDuplicate',
        field: p,
        badValue: t,
        detail: 'taints must be unique by key and effect pair',
      });
    }
    seen.add(id);
  });
  return errs;
}

/** An IPv4 or IPv6 CIDR in canonical network form is not required; upstream only parses it. */
function isCIDR(value: string): boolean {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(value);
  if (!m) return false;
  const bits = Number(m[2]);
  return m[1]!.includes(':') ? bits <= 128 : bits <= 32 && /^(\d{1,3}\.){3}\d{1,3}$/.test(m[1]!);
}

export function validateNode(node: Node): FieldError[] {
  const errs = validateKubeFinalizerNames(node.metadata);
  if (node.spec?.taints?.length) errs.push(...validateTaints(node.spec.taints, 'metadata.taints'));
  (node.spec?.podCIDRs ?? []).forEach((cidr, i) => {
    if (!isCIDR(cidr)) {
      errs.push(
        invalidValue(
          index('spec.podCIDRs', i),
          cidr,
          'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
        ),
      );
    }
  });
  return errs;
}

export function validateNodeUpdate(node: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [];
  const oldCIDRs = old.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0) {
    const next = node.spec?.podCIDRs ?? [];
    if (next.length !== oldCIDRs.length || next.some((c, i) => c !== oldCIDRs[i])) {
      errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    }
  }
  const oldProvider = old.spec?.providerID ?? '';
  if (oldProvider !== '' && (node.spec?.providerID ?? '') !== oldProvider) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}
