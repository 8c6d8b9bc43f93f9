/**
 * The horizontal pod autoscaler, as kube-controller-manager's (pkg/controller/podautoscaler,
 * 1.32). Every sync period (--horizontal-pod-autoscaler-sync-period, 15 s) each HPA is reconciled:
 *
 *   1. read the target's scale (spec.replicas, status.replicas, selector) — any served kind with a
 *      scale subresource; failure → AbleToScale False FailedGetScale;
 *   2. outside [minReplicas, maxReplicas] → clamp; a target at 0 replicas → ScalingActive False
 *      ScalingDisabled; otherwise compute a proposal per metric (replicas-for-metrics.ts);
 *   3. stabilize and limit it (behavior.ts), setting AbleToScale / ScalingLimited;
 *   4. write the new size to the target (event SuccessfulRescale, or FailedRescale);
 *   5. write status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime,
 *      conditions) when it changed.
 *
 * Like upstream's rate-limited queue, a new or changed HPA waits for the next period; the
 * controller alone writes HPA status and, through it, the targets' replicas.
 */
import type { HorizontalPodAutoscaler, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';
import { SUBRESOURCES } from '../../api/discovery.js';
import type { PodMetricsSource } from '../../api/metrics/source.js';
import { formatLabelSelector, parseLabelSelector } from '../../api/selectors/label-selector.js';
import type { KubeObject } from '../../api/types.js';
import type { Controller, ControllerDeps } from '../client.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { ScalingHistory } from './behavior.js';
import { type ConditionValue, metaTime, setCondition } from './conditions.js';
import { normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors } from './normalize.js';
import { type CalculatorOptions, DEFAULT_CALCULATOR_OPTIONS } from './replica-calculator.js';
import { computeReplicasForMetrics } from './replicas-for-metrics.js';

const RESOURCE = 'horizontalpodautoscalers';
const COMPONENT = { component: 'horizontal-pod-autoscaler' };
export const DEFAULT_SYNC_PERIOD_MS = 15_000;
export const DEFAULT_DOWNSCALE_STABILIZATION_MS = 5 * 60_000;

export interface HorizontalPodAutoscalerOptions {
  /** --horizontal-pod-autoscaler-sync-period (15 s). */
  syncPeriodMs?: number;
  /** --horizontal-pod-autoscaler-downscale-stabilization (5 min), for HPAs without a scaleDown window. */
  downscaleStabilizationMs?: number;
  /** The node's pod usage (metrics.k8s.io's source); absent when no node runs (API-only engine). */
  podMetrics?: PodMetricsSource;
  calculator?: CalculatorOptions;
}

interface ScaleView {
  resource: string;
  object: KubeObject;
  specReplicas: number;
  selector: string;
}

type Status = NonNullable<HorizontalPodAutoscaler['status']>;

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontalpodautoscaling';
  readonly #history = new ScalingHistory();
  readonly #syncPeriodMs: number;
  readonly #downscaleMs: number;
  #timer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;
  #syncing: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly deps: ControllerDeps,
    private readonly o: HorizontalPodAutoscalerOptions = {},
  ) {
    this.#syncPeriodMs = o.syncPeriodMs ?? DEFAULT_SYNC_PERIOD_MS;
    this.#downscaleMs = o.downscaleStabilizationMs ?? DEFAULT_DOWNSCALE_STABILIZATION_MS;
  }

  start(): void {
    this.#unwatch = this.deps.client.watch(RESOURCE, (e) => {
      if (e.type === 'DELETED') this.#history.forget(keyOf(e.object as HorizontalPodAutoscaler));
    });
    this.#timer = setInterval(() => void this.syncAll(), this.#syncPeriodMs);
    this.#timer.unref?.();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  /** One pass over every HPA (the timer's tick; tests call it directly). A pass never overlaps another. */
  syncAll(): Promise<void> {
    this.#syncing ??= (async () => {
      try {
        for (const hpa of this.deps.client.list<HorizontalPodAutoscaler & KubeObject>(RESOURCE)) {
          if (this.#stopped) return;
          try {
            await this.reconcile(hpa);
          } catch (e) {
            this.deps.log('hpa sync failed', {
              hpa: keyOf(hpa),
              error: e instanceof Error ? e.message : String(e),
            });
          }
        }
      } finally {
        this.#syncing = undefined;
      }
    })();
    return this.#syncing;
  }

  #event(hpa: HorizontalPodAutoscaler, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.events.event(hpa as KubeObject, type, reason, message, COMPONENT);
  }

  /** The target's scale, as the scale subresource serves it; throws with upstream's error text. */
  #scaleOf(hpa: HorizontalPodAutoscaler): ScaleView {
    const ref = hpa.spec!.scaleTargetRef;
    const gv = ref.apiVersion ?? '';
    const parts = gv.split('/');
    if (parts.length > 2) throw new Error(`unexpected GroupVersion string: ${gv}`);
    const group = parts.length === 2 ? parts[0]! : '';
    const served = this.deps.client.resources().find((r) => r.group === group && r.kind === ref.kind);
    if (!served) throw new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
    if (!SUBRESOURCES[served.resource]?.some((s) => s.name === 'scale'))
      throw new Error('the server could not find the requested resource');
    const namespace = hpa.metadata?.namespace ?? '';
    const object = this.deps.client.get(served.resource, namespace, ref.name);
    if (!object)
      throw new Error(
        `${served.group ? `${served.resource}.${served.group}` : served.resource} "${ref.name}" not found`,
      );
    const spec = object.spec as { replicas?: number; selector?: Parameters<typeof formatLabelSelector>[0] };
    return {
      resource: served.resource,
      object,
      specReplicas: spec.replicas ?? 0,
      selector: spec.selector ? formatLabelSelector(spec.selector) : '',
    };
  }

  async reconcile(shared: HorizontalPodAutoscaler & KubeObject): Promise<void> {
    const hpa = structuredClone(shared);
    const original = structuredClone(hpa.status ?? {}) as Status;
    const now = this.deps.clock.now();
    const key = keyOf(hpa);
    const spec = hpa.spec!;
    const set = (c: ConditionValue): void => setCondition(hpa, c, now);

    let scale: ScaleView;
    try {
      scale = this.#scaleOf(hpa);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.#event(hpa, 'Warning', 'FailedGetScale', msg);
      set({
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: ${msg}`,
      });
      this.#writeStatus(hpa, original);
      return;
    }
    set({
      type: 'AbleToScale',
      status: 'True',
      reason: 'SucceededGetScale',
      message: "the HPA controller was able to get the target's current scale",
    });
    const current = scale.specReplicas;
    this.#history.recordInitial(key, current, now.getTime());

    const minReplicas = spec.minReplicas ?? 1;
    let desired = 0;
    let reason = '';
    let rescale = true;
    let statuses: MetricStatus[] | null = null;

    if (current === 0 && minReplicas !== 0) {
      rescale = false;
      set({
        type: 'ScalingActive',
        status: 'False',
        reason: 'ScalingDisabled',
        message: 'scaling is disabled since the replica count of the target is zero',
      });
    } else if (current > spec.maxReplicas) {
      reason = 'Current number of replicas above Spec.MaxReplicas';
      desired = spec.maxReplicas;
    } else if (current < minReplicas) {
      reason = 'Current number of replicas below Spec.MinReplicas';
      desired = minReplicas;
    } else {
      const pods = this.#selectPods(hpa, scale.selector, set);
      if (!pods) {
        this.#setStatus(hpa, current, hpa.status?.desiredReplicas ?? 0, null, false, now);
        this.#writeStatus(hpa, original);
        this.#event(hpa, 'Warning', 'FailedComputeMetricsReplicas', this.#selectorError);
        return;
      }
      const result = await computeReplicasForMetrics(
        {
          hpa,
          specReplicas: current,
          pods,
          source: this.o.podMetrics,
          calculator: this.o.calculator ?? DEFAULT_CALCULATOR_OPTIONS,
          now,
          warn: (r, m) => this.#event(hpa, 'Warning', r, m),
        },
        spec.metrics ?? [],
      );
      statuses = result.statuses;
      set(result.condition);
      if (result.replicas === -1) {
        this.#setStatus(hpa, current, hpa.status?.desiredReplicas ?? 0, statuses, false, now);
        this.#writeStatus(hpa, original);
        this.#event(hpa, 'Warning', 'FailedComputeMetricsReplicas', result.error ?? '');
        return;
      }
      let metric = '';
      if (result.replicas > desired) {
        desired = result.replicas;
        metric = result.metric;
      }
      if (desired > current) reason = `${metric} above target`;
      if (desired < current) reason = 'All metrics below target';
      const args = {
        history: this.#history,
        key,
        current,
        proposed: desired,
        min: minReplicas,
        max: spec.maxReplicas,
        downscaleStabilizationMs: this.#downscaleMs,
        now: now.getTime(),
        set,
      };
      desired = spec.behavior
        ? normalizeDesiredReplicasWithBehaviors({ ...args, behavior: spec.behavior })
        : normalizeDesiredReplicas(args);
      rescale = desired !== current;
    }

    if (rescale) {
      try {
        const target = structuredClone(scale.object);
        (target.spec as { replicas?: number }).replicas = desired;
        this.deps.client.update(scale.resource, target);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        this.#event(
          hpa,
          'Warning',
          'FailedRescale',
          `New size: ${desired}; reason: ${reason}; error: ${msg}`,
        );
        set({
          type: 'AbleToScale',
          status: 'False',
          reason: 'FailedUpdateScale',
          message: `the HPA controller was unable to update the target scale: ${msg}`,
        });
        this.#setStatus(hpa, current, hpa.status?.desiredReplicas ?? 0, statuses ?? [], false, now);
        this.#writeStatus(hpa, original);
        return;
      }
      set({
        type: 'AbleToScale',
        status: 'True',
        reason: 'SucceededRescale',
        message: `the HPA controller was able to update the target scale to ${desired}`,
      });
      this.#event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      this.#history.storeScaleEvent(spec.behavior, key, current, desired, now.getTime());
      this.deps.log('hpa rescaled', { hpa: key, from: current, to: desired, reason });
    } else {
      desired = current;
    }
    this.#setStatus(hpa, current, desired, statuses, rescale, now);
    this.#writeStatus(hpa, original);
  }

  #selectorError = '';

  /** validateAndParseSelector, then the pods it selects; undefined (with the condition set) when invalid. */
  #selectPods(
    hpa: HorizontalPodAutoscaler,
    selector: string,
    set: (c: ConditionValue) => void,
  ): Pod[] | undefined {
    if (selector === '') {
      this.#selectorError = 'selector is required';
      this.#event(hpa, 'Warning', 'SelectorRequired', this.#selectorError);
      set({
        type: 'ScalingActive',
        status: 'False',
        reason: 'InvalidSelector',
        message: "the HPA target's scale is missing a selector",
      });
      return undefined;
    }
    let parsed: ReturnType<typeof parseLabelSelector>;
    try {
      parsed = parseLabelSelector(selector);
    } catch (e) {
      this.#selectorError = `couldn't convert selector into a corresponding internal selector object: ${e instanceof Error ? e.message : String(e)}`;
      this.#event(hpa, 'Warning', 'InvalidSelector', this.#selectorError);
      set({
        type: 'ScalingActive',
        status: 'False',
        reason: 'InvalidSelector',
        message: this.#selectorError,
      });
      return undefined;
    }
    const namespace = hpa.metadata?.namespace ?? '';
    const pods = this.deps.client.list<Pod & KubeObject>('pods', {
      namespace,
      labelSelector: parsed.toString(),
    });
    const selecting = this.#hpasSelecting(namespace, pods);
    if (selecting.length > 1) {
      this.#selectorError = `pods by selector ${parsed.toString()} are controlled by multiple HPAs: [${selecting.join(' ')}]`;
      this.#event(hpa, 'Warning', 'AmbiguousSelector', this.#selectorError);
      set({
        type: 'ScalingActive',
        status: 'False',
        reason: 'AmbiguousSelector',
        message: this.#selectorError,
      });
      return undefined;
    }
    return pods;
  }

  /** hpasControllingPodsUnderSelector: the HPAs of the namespace whose target selects any of `pods`. */
  #hpasSelecting(namespace: string, pods: readonly (Pod & KubeObject)[]): string[] {
    if (pods.length === 0) return [];
    const out: string[] = [];
    for (const other of this.deps.client.list<HorizontalPodAutoscaler & KubeObject>(RESOURCE, {
      namespace,
    })) {
      let selector: ReturnType<typeof parseLabelSelector>;
      try {
        const sel = this.#scaleOf(other).selector;
        if (sel === '') continue;
        selector = parseLabelSelector(sel);
      } catch {
        continue;
      }
      if (pods.some((p) => selector.matches(p.metadata.labels ?? {}))) out.push(keyOf(other));
    }
    return out.sort();
  }

  /** setStatus: currentReplicas is omitted at 0 and currentMetrics written even when nil, as Go's JSON. */
  #setStatus(
    hpa: HorizontalPodAutoscaler,
    current: number,
    desired: number,
    statuses: MetricStatus[] | null,
    rescale: boolean,
    now: Date,
  ): void {
    const old = hpa.status;
    const status: Record<string, unknown> = {};
    const lastScaleTime = rescale ? metaTime(now) : old?.lastScaleTime;
    if (lastScaleTime) status.lastScaleTime = lastScaleTime;
    if (current !== 0) status.currentReplicas = current;
    status.desiredReplicas = desired;
    status.currentMetrics = statuses;
    if (old?.conditions?.length) status.conditions = old.conditions;
    (hpa as { status?: unknown }).status = status;
  }

  /** updateStatusIfNeeded. */
  #writeStatus(hpa: HorizontalPodAutoscaler & KubeObject, original: Status): void {
    if (semanticEqual(original, hpa.status)) return;
    try {
      this.deps.client.updateStatus(RESOURCE, hpa);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.#event(hpa, 'Warning', 'FailedUpdateStatus', msg);
      this.deps.log('hpa status update failed', { hpa: keyOf(hpa), error: msg });
    }
  }
}

const keyOf = (h: HorizontalPodAutoscaler): string =>
  `${h.metadata?.namespace ?? ''}/${h.metadata?.name ?? ''}`;
