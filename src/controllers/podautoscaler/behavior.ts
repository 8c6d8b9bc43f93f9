/**
 * From a metric's proposal to the replica count written, as upstream's horizontal.go (1.32):
 * stabilization (the highest recommendation of the downscale window; with spec.behavior, also the
 * lowest of the scale-up window), then the limits (min/max replicas, the scale-up rate: without
 * behavior max(2 × current, 4), with behavior the scaling policies over the scale events of
 * their periods), each step reported as upstream's AbleToScale / ScalingLimited reasons.
 *
 * ScalingHistory owns the per-HPA recommendations and scale events (upstream's recommendations,
 * scaleUpEvents and scaleDownEvents maps); only the controller's sync of that HPA uses it.
 */
import type { HorizontalPodAutoscalerBehavior, HPAScalingRules } from 'kubernetes-types/autoscaling/v2';

export interface Recommendation {
  replicas: number;
  at: number;
}

export interface ScaleEvent {
  change: number;
  at: number;
  outdated: boolean;
}

export interface LimitedResult {
  replicas: number;
  /** Condition reason and message (AbleToScale for stabilization, ScalingLimited for limits). */
  reason: string;
  message: string;
}

const INT32_MAX = 2 ** 31 - 1;
const INT32_MIN = -(2 ** 31);

export class ScalingHistory {
  readonly #recommendations = new Map<string, Recommendation[]>();
  readonly #scaleUp = new Map<string, ScaleEvent[]>();
  readonly #scaleDown = new Map<string, ScaleEvent[]>();

  /** recordInitialRecommendation: the first sync of an HPA remembers the current size. */
  recordInitial(key: string, current: number, now: number): void {
    if (!this.#recommendations.has(key)) this.#recommendations.set(key, [{ replicas: current, at: now }]);
  }

  /** The recommendations kept for `key`, oldest slot first (tests and diagnostics read them). */
  recommendations(key: string): readonly Recommendation[] {
    return this.#recommendations.get(key) ?? [];
  }

  /** Replaces the recommendations of `key` (tests start from upstream's fixtures with it). */
  setRecommendations(key: string, recs: readonly Recommendation[]): void {
    this.#recommendations.set(
      key,
      recs.map((r) => ({ ...r })),
    );
  }

  /** The HPA is gone: forget it. */
  forget(key: string): void {
    this.#recommendations.delete(key);
    this.#scaleUp.delete(key);
    this.#scaleDown.delete(key);
  }

  /** Stores `rec`, reusing an outdated slot if `isOld` finds one, as upstream does. */
  #record(key: string, rec: Recommendation, isOld: (r: Recommendation) => boolean): void {
    const list = this.#recommendations.get(key) ?? [];
    let old = -1;
    list.forEach((r, i) => {
      if (isOld(r)) old = i;
    });
    if (old >= 0) list[old] = rec;
    else list.push(rec);
    this.#recommendations.set(key, list);
  }

  /** stabilizeRecommendation (no behavior): the highest recommendation within the window. */
  stabilize(key: string, desired: number, windowMs: number, now: number): number {
    const cutoff = now - windowMs;
    let max = desired;
    for (const r of this.#recommendations.get(key) ?? [])
      if (r.at >= cutoff && r.replicas > max) max = r.replicas;
    this.#record(key, { replicas: desired, at: now }, (r) => r.at < cutoff);
    return max;
  }

  /** stabilizeRecommendationWithBehaviors. */
  stabilizeWithBehaviors(
    key: string,
    current: number,
    desired: number,
    upWindowSeconds: number,
    downWindowSeconds: number,
    now: number,
  ): LimitedResult {
    const upCutoff = now - upWindowSeconds * 1000;
    const downCutoff = now - downWindowSeconds * 1000;
    let up = desired;
    let down = desired;
    for (const r of this.#recommendations.get(key) ?? []) {
      if (r.at > upCutoff) up = Math.min(r.replicas, up);
      if (r.at > downCutoff) down = Math.max(r.replicas, down);
    }
    let replicas = current;
    if (replicas < up) replicas = up;
    if (replicas > down) replicas = down;
    this.#record(key, { replicas: desired, at: now }, (r) => r.at < upCutoff && r.at < downCutoff);
    return desired >= current
      ? {
          replicas,
          reason: 'ScaleUpStabilized',
          message:
            'recent recommendations were lower than current one, applying the lowest recent recommendation',
        }
      : {
          replicas,
          reason: 'ScaleDownStabilized',
          message:
            'recent recommendations were higher than current one, applying the highest recent recommendation',
        };
  }

  /** storeScaleEvent: only kept when the HPA has a behavior (nothing else reads them). */
  storeScaleEvent(
    behavior: HorizontalPodAutoscalerBehavior | undefined,
    key: string,
    prev: number,
    next: number,
    now: number,
  ): void {
    if (!behavior) return;
    const up = next > prev;
    const rules = up ? behavior.scaleUp : behavior.scaleDown;
    const map = up ? this.#scaleUp : this.#scaleDown;
    const events = map.get(key) ?? [];
    const cutoff = now - longestPolicyPeriod(rules) * 1000;
    for (const e of events) if (e.at < cutoff) e.outdated = true;
    const event: ScaleEvent = { change: up ? next - prev : prev - next, at: now, outdated: false };
    let old = -1;
    events.forEach((e, i) => {
      if (e.outdated) old = i;
    });
    if (old >= 0) events[old] = event;
    else events.push(event);
    map.set(key, events);
  }

  scaleUpEvents(key: string): readonly ScaleEvent[] {
    return this.#scaleUp.get(key) ?? [];
  }

  scaleDownEvents(key: string): readonly ScaleEvent[] {
    return this.#scaleDown.get(key) ?? [];
  }
}

function longestPolicyPeriod(rules: HPAScalingRules | undefined): number {
  let longest = 0;
  for (const p of rules?.policies ?? []) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** getReplicasChangePerPeriod. */
function changeInPeriod(periodSeconds: number, events: readonly ScaleEvent[], now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let sum = 0;
  for (const e of events) if (e.at > cutoff) sum += e.change;
  return sum;
}

/** calculateScaleUpLimitWithScalingRules. */
export function scaleUpLimitWithRules(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? INT32_MAX : INT32_MIN;
  for (const p of rules.policies ?? []) {
    const start =
      current -
      changeInPeriod(p.periodSeconds, upEvents, now) +
      changeInPeriod(p.periodSeconds, downEvents, now);
    let proposed = 0;
    if (p.type === 'Pods') proposed = start + p.value;
    else if (p.type === 'Percent') proposed = Math.ceil(start * (1 + p.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors. */
export function scaleDownLimitWithRules(
  current: number,
  upEvents: readonly ScaleEvent[],
  downEvents: readonly ScaleEvent[],
  rules: HPAScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? INT32_MIN : INT32_MAX;
  for (const p of rules.policies ?? []) {
    const start =
      current -
      changeInPeriod(p.periodSeconds, upEvents, now) +
      changeInPeriod(p.periodSeconds, downEvents, now);
    let proposed = 0;
    if (p.type === 'Pods') proposed = start - p.value;
    else if (p.type === 'Percent') proposed = Math.trunc(start * (1 - p.value / 100));
    result = useMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

const WITHIN_RANGE = {
  reason: 'DesiredWithinRange',
  message: 'the desired count is within the acceptable range',
};
const TOO_FEW = {
  reason: 'TooFewReplicas',
  message: 'the desired replica count is less than the minimum replica count',
};
const TOO_MANY = {
  reason: 'TooManyReplicas',
  message: 'the desired replica count is more than the maximum replica count',
};
const SCALE_UP_LIMIT = {
  reason: 'ScaleUpLimit',
  message: 'the desired replica count is increasing faster than the maximum scale rate',
};
const SCALE_DOWN_LIMIT = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};

/** calculateScaleUpLimit: without a behavior, at most double (and at least 4). */
export const scaleUpLimit = (current: number): number => Math.max(2 * current, 4);

/** convertDesiredReplicasWithRules (no behavior). */
export function convertDesiredReplicasWithRules(
  current: number,
  desired: number,
  min: number,
  max: number,
): LimitedResult {
  const limit = scaleUpLimit(current);
  const [maximum, atMax] = max > limit ? [limit, SCALE_UP_LIMIT] : [max, TOO_MANY];
  if (desired < min) return { replicas: min, ...TOO_FEW };
  if (desired > maximum) return { replicas: maximum, ...atMax };
  return { replicas: desired, ...WITHIN_RANGE };
}

/** convertDesiredReplicasWithBehaviorRate. */
export function convertDesiredReplicasWithBehaviorRate(
  a: {
    current: number;
    desired: number;
    min: number;
    max: number;
    scaleUp: HPAScalingRules;
    scaleDown: HPAScalingRules;
    upEvents: readonly ScaleEvent[];
    downEvents: readonly ScaleEvent[];
  },
  now: number,
): LimitedResult {
  if (a.desired > a.current) {
    let limit = scaleUpLimitWithRules(a.current, a.upEvents, a.downEvents, a.scaleUp, now);
    // No further scale-up until the recent scale-up events leave their periods.
    if (limit < a.current) limit = a.current;
    const [maximum, why] = a.max > limit ? [limit, SCALE_UP_LIMIT] : [a.max, TOO_MANY];
    if (a.desired > maximum) return { replicas: maximum, ...why };
  } else if (a.desired < a.current) {
    let limit = scaleDownLimitWithRules(a.current, a.upEvents, a.downEvents, a.scaleDown, now);
    if (limit > a.current) limit = a.current;
    const [minimum, why] = a.min < limit ? [limit, SCALE_DOWN_LIMIT] : [a.min, TOO_FEW];
    if (a.desired < minimum) return { replicas: minimum, ...why };
  }
  return { replicas: a.desired, ...WITHIN_RANGE };
}
