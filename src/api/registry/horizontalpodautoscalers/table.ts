/**
 * `kubectl get hpa` columns (printers.go printHorizontalPodAutoscaler, 1.32):
 *   Name, Reference (Kind/name), Targets (formatHPAMetrics), MinPods, MaxPods, Replicas, Age.
 * Targets shows at most two metrics (`cpu: 12%/50%, memory: 10Mi/1Gi + 1 more...`), a metric
 * without a current value as `<unknown>`.
 */
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import { canonicalizeQuantity } from '../../quantity.js';
import { NONE, UNKNOWN } from '../printers/cells.js';
import { AGE_COLUMN, column, NAME_COLUMN } from '../printers/columns.js';
import { ageOf } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

/** Descriptions as upstream's, taken from autoscaling/v2beta1's swagger docs. */
const REFERENCE_DOC =
  'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.';
const TARGETS_DOC =
  'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.';
const MIN_PODS_DOC =
  'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.';
const MAX_PODS_DOC =
  'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.';
const REPLICAS_DOC =
  'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.';

const q = (v: string | number | undefined): string => (v === undefined ? '0' : canonicalizeQuantity(v));
const pct = (v: number | undefined): string => (v === undefined ? UNKNOWN : `${v}%`);

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const t = spec.external?.target;
      if (t?.averageValue !== undefined) {
        const cur = status?.external?.current.averageValue;
        return `${cur === undefined ? UNKNOWN : q(cur)}/${q(t.averageValue)} (avg)`;
      }
      return `${status?.external ? q(status.external.current.value) : UNKNOWN}/${q(t?.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue) : UNKNOWN}/${q(spec.pods?.target.averageValue)}`;
    case 'Object': {
      const t = spec.object?.target;
      if (t?.averageValue !== undefined) {
        const cur = status?.object?.current.averageValue;
        return `${cur === undefined ? UNKNOWN : q(cur)}/${q(t.averageValue)} (avg)`;
      }
      return `${status?.object ? q(status.object.current.value) : UNKNOWN}/${q(t?.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource?.current : status?.containerResource?.current;
      const name = src?.name ?? '';
      if (src?.target.averageValue !== undefined)
        return `${name}: ${cur ? q(cur.averageValue) : UNKNOWN}/${q(src.target.averageValue)}`;
      const target =
        src?.target.averageUtilization === undefined ? '<auto>' : `${src.target.averageUtilization}%`;
      return `${name}: ${pct(cur?.averageUtilization)}/${target}`;
    }
    default:
      return '<unknown type>';
  }
}

/** formatHPAMetrics: the i-th status answers the i-th spec, as the controller writes them. */
export function formatHPAMetrics(
  specs: readonly MetricSpec[] | undefined,
  statuses: readonly MetricStatus[] | undefined,
): string {
  if (!specs || specs.length === 0) return NONE;
  const list = specs.map((s, i) => formatMetric(s, statuses?.[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerTable: TableConvertor<HorizontalPodAutoscaler> = {
  columns: [
    NAME_COLUMN,
    column('Reference', 'string', REFERENCE_DOC),
    column('Targets', 'string', TARGETS_DOC),
    column('MinPods', 'string', MIN_PODS_DOC),
    column('MaxPods', 'integer', MAX_PODS_DOC),
    column('Replicas', 'integer', REPLICAS_DOC),
    AGE_COLUMN,
  ],
  row(hpa, now) {
    const ref = hpa.spec?.scaleTargetRef;
    return [
      hpa.metadata?.name ?? '',
      `${ref?.kind ?? ''}/${ref?.name ?? ''}`,
      formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
      hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas),
      hpa.spec?.maxReplicas ?? 0,
      hpa.status?.currentReplicas ?? 0,
      ageOf(hpa.metadata, now),
    ];
  },
};
