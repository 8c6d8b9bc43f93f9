/**
 * maxSurge / maxUnavailable arithmetic, as apimachinery's intstr.GetScaledValueFromIntOrPercent
 * and the deployment util's ResolveFenceposts: a percentage of the desired replicas, surge
 * rounded up and unavailability rounded down; if both come to zero, unavailability becomes 1
 * so the rollout can progress.
 */
import type { Deployment } from 'kubernetes-types/apps/v1';

export type IntOrString = number | string;

export class IntOrStringError extends Error {
  override readonly name = 'IntOrStringError';
}

export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new IntOrStringError('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%'))
    throw new IntOrStringError('invalid value for IntOrString: invalid type: string is not a percentage');
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) {
    throw new IntOrStringError(
      `invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(digits)}: invalid syntax`,
    );
  }
  const pct = Number.parseInt(digits, 10);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

export const desiredReplicas = (d: Deployment): number => d.spec?.replicas ?? 1;

/** [surge, unavailable] for the deployment's desired replicas. */
export function resolveFenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  const desired = desiredReplicas(d);
  const surge = scaledValue(ru?.maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return resolveFenceposts(d)[0];
}

export function maxUnavailable(d: Deployment): number {
  const desired = desiredReplicas(d);
  if (!isRollingUpdate(d) || desired === 0) return 0;
  return Math.min(resolveFenceposts(d)[1], desired);
}
