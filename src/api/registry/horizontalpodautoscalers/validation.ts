/**
 * HorizontalPodAutoscaler validation, as upstream's pkg/apis/autoscaling/validation/validation.go
 * (1.32, HPAScaleToZero off): replica bounds, scaleTargetRef, each metric source (exactly the one its
 * type names), metric targets, and behavior scaling rules; status updates keep the replica counts
 * non-negative. Object metadata is the registry's (names are DNS subdomains).
 */
import type {
  CrossVersionObjectReference,
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerSpec,
  HPAScalingRules,
  MetricIdentifier,
  MetricSpec,
  MetricTarget,
} from 'kubernetes-types/autoscaling/v2';
import { tryParseQuantity } from '../../quantity.js';
import { validateDNS1123Label } from '../../validation/container.js';
import { type FieldError, forbidden, invalidValue, notSupported, required } from '../../validation/field.js';
import { validatePathSegmentName } from '../../validation/names.js';
import { validateNonnegativeField } from '../../validation/objectmeta.js';

/** MaxPeriodSeconds and MaxStabilizationWindowSeconds. */
export const MAX_PERIOD_SECONDS = 1800;
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;

const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];

/** Quantity.Sign() != 1, for a value that parses (the decoder refused the others). */
function notPositive(q: string | number | undefined): boolean {
  if (q === undefined) return false;
  const p = tryParseQuantity(q);
  if (p instanceof Error) return true;
  return !(p.nanos > 0n);
}

export function validateCrossVersionObjectReference(
  ref: CrossVersionObjectReference | undefined,
  path: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref?.kind) errs.push(required(`${path}.kind`));
  else
    for (const msg of validatePathSegmentName(ref.kind, false))
      errs.push(invalidValue(`${path}.kind`, ref.kind, msg));
  if (!ref?.name) errs.push(required(`${path}.name`));
  else
    for (const msg of validatePathSegmentName(ref.name, false))
      errs.push(invalidValue(`${path}.name`, ref.name, msg));
  return errs;
}

function validateMetricTarget(t: MetricTarget | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue')
    errs.push(invalidValue(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (notPositive(t?.value)) errs.push(invalidValue(`${path}.value`, t?.value, 'must be positive'));
  if (notPositive(t?.averageValue))
    errs.push(invalidValue(`${path}.averageValue`, t?.averageValue, 'must be positive'));
  if (t?.averageUtilization !== undefined && t.averageUtilization < 1)
    errs.push(invalidValue(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetricIdentifier(id: MetricIdentifier | undefined, path: string): FieldError[] {
  if (!id?.name) return [required(`${path}.name`, 'must specify a metric name')];
  return validatePathSegmentName(id.name, false).map((msg) => invalidValue(`${path}.name`, id.name, msg));
}

function validateSource(m: MetricSpec, key: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = `${path}.${key}`;
  switch (key) {
    case 'object': {
      const o = m.object!;
      errs.push(...validateCrossVersionObjectReference(o.describedObject, `${p}.describedObject`));
      errs.push(
        ...validateMetricIdentifier(o.metric, `${p}.metric`),
        ...validateMetricTarget(o.target, `${p}.target`),
      );
      if (o.target?.value === undefined && o.target?.averageValue === undefined)
        errs.push(required(`${p}.target.averageValue`, 'must set either a target value or averageValue'));
      break;
    }
    case 'external': {
      const e = m.external!;
      errs.push(
        ...validateMetricIdentifier(e.metric, `${p}.metric`),
        ...validateMetricTarget(e.target, `${p}.target`),
      );
      if (e.target?.value === undefined && e.target?.averageValue === undefined)
        errs.push(
          required(
            `${p}.target.averageValue`,
            'must set either a target value for metric or a per-pod target',
          ),
        );
      if (e.target?.value !== undefined && e.target?.averageValue !== undefined)
        errs.push(
          forbidden(`${p}.target.value`, 'may not set both a target value for metric and a per-pod target'),
        );
      break;
    }
    case 'pods': {
      const po = m.pods!;
      errs.push(
        ...validateMetricIdentifier(po.metric, `${p}.metric`),
        ...validateMetricTarget(po.target, `${p}.target`),
      );
      if (po.target?.averageValue === undefined)
        errs.push(required(`${p}.target.averageValue`, 'must specify a positive target averageValue'));
      break;
    }
    case 'resource':
    case 'containerResource': {
      const r = key === 'resource' ? m.resource! : m.containerResource!;
      if (!r.name) errs.push(required(`${p}.name`, 'must specify a resource name'));
      if (key === 'containerResource') {
        const c = m.containerResource!.container;
        if (!c) errs.push(required(`${p}.container`, 'must specify a container'));
        else errs.push(...validateDNS1123Label(c, `${p}.container`));
      }
      errs.push(...validateMetricTarget(r.target, `${p}.target`));
      if (r.target?.averageUtilization === undefined && r.target?.averageValue === undefined)
        errs.push(
          required(
            `${p}.target.averageUtilization`,
            'must set either a target raw value or a target utilization',
          ),
        );
      if (r.target?.averageUtilization !== undefined && r.target?.averageValue !== undefined)
        errs.push(
          forbidden(
            `${p}.target.averageValue`,
            'may not set both a target raw value and a target utilization',
          ),
        );
      break;
    }
  }
  return errs;
}

const SOURCE_KEYS = ['object', 'external', 'pods', 'resource', 'containerResource'] as const;
const EXPECTED: Record<string, (typeof SOURCE_KEYS)[number]> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function validateMetricSpec(m: MetricSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (type === '') errs.push(required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  const present: string[] = [];
  for (const key of SOURCE_KEYS) {
    if (m[key] === undefined || m[key] === null) continue;
    present.push(key);
    // Only the first source present is validated, as upstream's typesPresent.Len() == 1 check.
    if (present.length === 1) errs.push(...validateSource(m, key, path));
  }
  const expected = EXPECTED[type];
  if (expected) {
    if (m[expected] === undefined || m[expected] === null)
      errs.push(required(`${path}.${expected}`, 'must populate information for the given metric source'));
  } else {
    errs.push(notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  }
  if (present.length !== 1) {
    // Go ranges over a set: the order of these is unspecified upstream; sorted here.
    for (const key of present.filter((k) => k !== expected).sort())
      errs.push(forbidden(`${path}.${key}`, 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: HPAScalingRules | undefined, path: string): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const w = rules.stabilizationWindowSeconds;
  if (w !== undefined && w < 0)
    errs.push(invalidValue(`${path}.stabilizationWindowSeconds`, w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > MAX_STABILIZATION_WINDOW_SECONDS)
    errs.push(
      invalidValue(
        `${path}.stabilizationWindowSeconds`,
        w,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`,
      ),
    );
  if (rules.selectPolicy !== undefined && !SELECT_POLICIES.includes(rules.selectPolicy))
    errs.push(notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (!POLICY_TYPES.includes(p.type)) errs.push(notSupported(`${pp}.type`, p.type, POLICY_TYPES));
    if (!(p.value > 0)) errs.push(invalidValue(`${pp}.value`, p.value ?? 0, 'must be greater than zero'));
    if (!(p.periodSeconds > 0))
      errs.push(invalidValue(`${pp}.periodSeconds`, p.periodSeconds ?? 0, 'must be greater than zero'));
    if (p.periodSeconds > MAX_PERIOD_SECONDS)
      errs.push(
        invalidValue(
          `${pp}.periodSeconds`,
          p.periodSeconds,
          `must be less than or equal to ${MAX_PERIOD_SECONDS}`,
        ),
      );
  });
  return errs;
}

function validateSpec(
  spec: HorizontalPodAutoscalerSpec | undefined,
  minReplicasLowerBound: number,
): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec?.minReplicas;
  const max = spec?.maxReplicas ?? 0;
  if (min !== undefined && min < minReplicasLowerBound)
    errs.push(
      invalidValue('spec.minReplicas', min, `must be greater than or equal to ${minReplicasLowerBound}`),
    );
  if (max < 1) errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min)
    errs.push(invalidValue('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(spec?.scaleTargetRef, 'spec.scaleTargetRef'));
  const metrics = spec?.metrics ?? [];
  for (const [i, m] of metrics.entries()) errs.push(...validateMetricSpec(m, `spec.metrics[${i}]`));
  if (min === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External'))
    errs.push(
      forbidden(
        'spec.metrics',
        'must specify at least one Object or External metric to support scaling to zero replicas',
      ),
    );
  if (spec?.behavior) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}

export function validateHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): FieldError[] {
  return validateSpec(hpa.spec, 1);
}

/** An HPA that already has minReplicas 0 may keep it (ValidateHorizontalPodAutoscalerUpdate). */
export function validateHorizontalPodAutoscalerUpdate(
  hpa: HorizontalPodAutoscaler,
  old: HorizontalPodAutoscaler,
): FieldError[] {
  return validateSpec(hpa.spec, old.spec?.minReplicas === 0 ? 0 : 1);
}

export function validateHorizontalPodAutoscalerStatus(hpa: HorizontalPodAutoscaler): FieldError[] {
  return [
    ...validateNonnegativeField(hpa.status?.currentReplicas, 'status.currentReplicas'),
    ...validateNonnegativeField(hpa.status?.desiredReplicas, 'status.desiredReplicas'),
  ];
}
