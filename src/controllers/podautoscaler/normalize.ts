/**
 * normalizeDesiredReplicas and normalizeDesiredReplicasWithBehaviors (horizontal.go, 1.32): a
 * metric proposal stabilized over the recent recommendations and then limited, each step setting
 * its condition (AbleToScale for stabilization, ScalingLimited for the limits).
 */
import type { HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2';
import {
  generateScaleDownRules,
  generateScaleUpRules,
} from '../../api/registry/horizontalpodautoscalers/defaults.js';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  type ScalingHistory,
} from './behavior.js';
import type { ConditionValue } from './conditions.js';

export interface NormalizeArgs {
  history: ScalingHistory;
  key: string;
  current: number;
  proposed: number;
  min: number;
  max: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization, for HPAs that set no window of their own. */
  downscaleStabilizationMs: number;
  now: number;
  set(c: ConditionValue): void;
}

const READY: ConditionValue = {
  type: 'AbleToScale',
  status: 'True',
  reason: 'ReadyForNewScale',
  message: 'recommended size matches current size',
};

/** Without spec.behavior: the highest recommendation of the downscale window, then the plain rules. */
export function normalizeDesiredReplicas(a: NormalizeArgs): number {
  const stabilized = a.history.stabilize(a.key, a.proposed, a.downscaleStabilizationMs, a.now);
  a.set(
    stabilized !== a.proposed
      ? {
          type: 'AbleToScale',
          status: 'True',
          reason: 'ScaleDownStabilized',
          message:
            'recent recommendations were higher than current one, applying the highest recent recommendation',
        }
      : READY,
  );
  const r = convertDesiredReplicasWithRules(a.current, stabilized, a.min, a.max);
  a.set({
    type: 'ScalingLimited',
    status: r.replicas === stabilized ? 'False' : 'True',
    reason: r.reason,
    message: r.message,
  });
  return r.replicas;
}

/** With spec.behavior: both stabilization windows, then the scaling policies. */
export function normalizeDesiredReplicasWithBehaviors(
  a: NormalizeArgs & { behavior: HorizontalPodAutoscalerBehavior },
): number {
  // The API fills unset rules; the same defaults keep an object that skipped defaulting sane.
  const scaleUp = generateScaleUpRules(a.behavior.scaleUp);
  const scaleDown = generateScaleDownRules(a.behavior.scaleDown);
  // maybeInitScaleDownStabilizationWindow: the controller's window when the HPA sets none.
  const downWindow = scaleDown.stabilizationWindowSeconds ?? Math.trunc(a.downscaleStabilizationMs / 1000);
  const s = a.history.stabilizeWithBehaviors(
    a.key,
    a.current,
    a.proposed,
    scaleUp.stabilizationWindowSeconds ?? 0,
    downWindow,
    a.now,
  );
  a.set(
    s.replicas !== a.proposed
      ? { type: 'AbleToScale', status: 'True', reason: s.reason, message: s.message }
      : READY,
  );
  const r = convertDesiredReplicasWithBehaviorRate(
    {
      current: a.current,
      desired: s.replicas,
      min: a.min,
      max: a.max,
      scaleUp,
      scaleDown,
      upEvents: a.history.scaleUpEvents(a.key),
      downEvents: a.history.scaleDownEvents(a.key),
    },
    a.now,
  );
  a.set({
    type: 'ScalingLimited',
    status: r.replicas === s.replicas ? 'False' : 'True',
    reason: r.reason,
    message: r.message,
  });
  return r.replicas;
}
