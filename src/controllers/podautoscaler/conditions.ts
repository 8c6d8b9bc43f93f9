/** HPA status conditions, as upstream's setCondition / setConditionInList (horizontal.go). */
import type {
  HorizontalPodAutoscaler,
  HorizontalPodAutoscalerCondition,
} from 'kubernetes-types/autoscaling/v2';

export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface ConditionValue {
  type: ConditionType;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** metav1.Now() as JSON writes it: seconds precision. */
export const metaTime = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

/** Sets the condition in place; lastTransitionTime moves only when the status changes. */
export function setCondition(hpa: HorizontalPodAutoscaler, c: ConditionValue, now: Date): void {
  const status = (hpa.status ?? {}) as NonNullable<HorizontalPodAutoscaler['status']> & {
    conditions?: HorizontalPodAutoscalerCondition[];
  };
  (hpa as { status?: unknown }).status = status;
  const list = status.conditions ?? [];
  let existing = list.find((x) => x.type === c.type) as Record<string, unknown> | undefined;
  if (!existing) {
    existing = { type: c.type };
    list.push(existing as unknown as HorizontalPodAutoscalerCondition);
  }
  if (existing.status !== c.status) existing.lastTransitionTime = metaTime(now);
  existing.status = c.status;
  existing.reason = c.reason;
  existing.message = c.message;
  status.conditions = list;
}
