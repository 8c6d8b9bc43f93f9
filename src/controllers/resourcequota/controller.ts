/**
 * The resource quota controller, as kube-controller-manager's resourcequota (syncResourceQuota):
 * it alone keeps status.hard equal to spec.hard, and recounts status.used from the stored objects
 * (src/api/quota/usage.ts, the evaluators the admission plugin charges with) when a quota is
 * created or changes, and when an object of a counted kind in its namespace changes or goes (a
 * deleted pod frees its slot, a pod reaching Succeeded/Failed frees its compute). Upstream
 * replenishes only on deletes and usage-changing updates; recounting on every change also gives
 * back a charge the admission plugin made for a write that then failed.
 * A quota is written only when something differs, so its own status write ends the loop.
 */
import type { ResourceQuota } from 'kubernetes-types/core/v1';
import { type Evaluator, evaluatorFor, isIgnoredResource } from '../../api/quota/evaluators.js';
import { equals, formatList, mask, parseList } from '../../api/quota/resources.js';
import { calculateUsage } from '../../api/quota/usage.js';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';

type Quota = ResourceQuota & KubeObject;

const sameList = (a: unknown, b: unknown): boolean =>
  a !== undefined &&
  b !== undefined &&
  equals(parseList(a as Record<string, unknown>), parseList(b as Record<string, unknown>));

export class ResourceQuotaController extends QueueController {
  readonly name = 'resourcequota';
  protected override readonly requiredResource = { resource: 'resourcequotas', group: '' };
  #evaluators: Evaluator[] = [];

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    const counted = this.deps.client
      .resources()
      .filter((r) => r.namespaced && !isIgnoredResource(r.group, r.resource));
    this.#evaluators = counted.map((r) => evaluatorFor(r.group, r.resource));
    const quotasOf = (obj: KubeObject): string[] =>
      this.deps.client.scan<Quota>('resourcequotas', { namespace: obj.metadata.namespace ?? '' }).map(keyOf);
    // Any counted object's change (a quota's own included: count/resourcequotas) recounts the
    // quotas of its namespace.
    return counted.map((r) => ({ resource: r.resource, keysFor: (ev) => quotasOf(ev.object) }));
  }

  protected allKeys(): readonly string[] {
    return this.deps.client.scan<Quota>('resourcequotas').map(keyOf);
  }

  #servedEvaluators(): Evaluator[] {
    const known = new Set(this.#evaluators.map((e) => e.resource));
    const added = this.deps.client
      .resources()
      .filter((r) => r.namespaced && !known.has(r.resource) && !isIgnoredResource(r.group, r.resource))
      .map((r) => evaluatorFor(r.group, r.resource));
    return added.length ? [...this.#evaluators, ...added] : this.#evaluators;
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client, clock } = this.deps;
    const rq = client.get<Quota>('resourcequotas', namespace, name);
    if (!rq || rq.metadata.deletionTimestamp) return;
    const spec = rq.spec ?? {};
    const hard = parseList(spec.hard as Record<string, unknown> | undefined);
    const counted = calculateUsage(namespace, spec, {
      // Served now: custom resources (CRDs) come and go after start, as upstream's quota controller
      // rediscovers the API's resources.
      evaluators: this.#servedEvaluators(),
      // Plurals are unique across the groups served (the client's contract).
      list: (e, ns) => client.scan(e.resource, { namespace: ns }),
      now: clock.now(),
    });
    // Past observations are kept for what no evaluator counts; only hard names are kept at all.
    const used = mask(
      new Map([...parseList(rq.status?.used as Record<string, unknown>), ...counted]),
      hard.keys(),
    );
    const dirty =
      !sameList(spec.hard ?? {}, rq.status?.hard) ||
      rq.status?.used === undefined ||
      !equals(used, parseList(rq.status.used as Record<string, unknown>));
    if (!dirty) return;
    client.updateStatus('resourcequotas', {
      ...rq,
      status: { hard: formatList(hard), used: formatList(used) },
    });
  }
}
