/**
 * autoscaling/v2 HorizontalPodAutoscaler defaults (pkg/apis/autoscaling/v2/defaults.go, 1.32):
 * minReplicas 1; no metrics → a cpu Utilization 80% target; a behavior that is set gets every unset
 * rule filled: scaleUp stabilization 0, Max of 4 pods / 15 s and 100% / 15 s; scaleDown Max of
 * 100% / 15 s with no stabilization window (the controller then uses its own, 300 s by default,
 * as --horizontal-pod-autoscaler-downscale-stabilization).
 */
import type { HorizontalPodAutoscaler, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';
import { DEFAULT_CPU_UTILIZATION } from './conversion.js';

export function defaultScaleUpRules(): HPAScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

export function defaultScaleDownRules(): HPAScalingRules {
  return { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };
}

/** copyHPAScalingRules: the set fields of `from` over the defaults. */
function withDefaults(from: HPAScalingRules | undefined, to: HPAScalingRules): HPAScalingRules {
  if (!from) return to;
  if (from.selectPolicy !== undefined) to.selectPolicy = from.selectPolicy;
  if (from.stabilizationWindowSeconds !== undefined)
    to.stabilizationWindowSeconds = from.stabilizationWindowSeconds;
  if (from.policies !== undefined) to.policies = from.policies;
  return to;
}

export function generateScaleUpRules(r: HPAScalingRules | undefined): HPAScalingRules {
  return withDefaults(r, defaultScaleUpRules());
}

export function generateScaleDownRules(r: HPAScalingRules | undefined): HPAScalingRules {
  return withDefaults(r, defaultScaleDownRules());
}

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa as { spec?: HorizontalPodAutoscaler['spec'] }).spec;
  if (!spec) return;
  const s = spec as NonNullable<HorizontalPodAutoscaler['spec']> & Record<string, unknown>;
  if (s.minReplicas === undefined || s.minReplicas === null) s.minReplicas = 1;
  if (!s.metrics || s.metrics.length === 0) {
    s.metrics = [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
        },
      },
    ];
  }
  if (s.behavior) {
    s.behavior = {
      scaleUp: generateScaleUpRules(s.behavior.scaleUp),
      scaleDown: generateScaleDownRules(s.behavior.scaleDown),
    };
  }
}
