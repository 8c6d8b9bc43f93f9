/**
 * The endpoints controller, as upstream's endpoint controller: for every Service with a
 * selector (and not of type ExternalName), an Endpoints object of the same name listing the
 * selected pods (subsets.ts), labelled like the service (plus `service.kubernetes.io/headless`
 * for headless ones). It writes only when subsets or labels change, and deletes the Endpoints
 * when the service goes. Services without a selector are left to their users.
 */
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import { selectorFromSet } from '../../api/selectors/label-selector.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import { QueueController, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';
import { PodServiceIndex } from '../util/pod-services.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { buildSubsets, capacityAnnotationCorrect, OVER_CAPACITY, truncateSubsets } from './subsets.js';

type Svc = Service & KubeObject;
type Ep = Endpoints & KubeObject;
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export class EndpointsController extends QueueController {
  readonly name = 'endpoints';
  /** pod key → service keys that selected it at the last event, to catch label changes. */
  readonly #podServices = new PodServiceIndex(this.deps.client);
  #checkedLeftovers = false;

  protected watches(): readonly WatchSpec[] {
    return [
      { resource: 'services', keysFor: (ev) => [keyOf(ev.object)] },
      { resource: 'pods', keysFor: (ev) => this.#keysForPod(ev) },
      {
        resource: 'endpoints',
        keysFor: (ev) => (ev.type === 'ADDED' ? [] : [keyOf(ev.object)]),
      },
    ];
  }

  #keysForPod(ev: WatchEvent): readonly string[] {
    return this.#podServices.keysFor(ev);
  }

  protected allKeys(): readonly string[] {
    const services = this.deps.client.list('services').map(keyOf);
    if (this.#checkedLeftovers) return services;
    this.#checkedLeftovers = true;
    // Once, at start (upstream's checkLeftoverEndpoints): Endpoints left behind by a service
    // deleted while we were not running.
    const orphans = this.deps.client
      .list<Ep>('endpoints')
      .filter((e) => !e.metadata.annotations?.['control-plane.alpha.kubernetes.io/leader'])
      .map(keyOf);
    return [...new Set([...services, ...orphans])];
  }

  protected sync(key: string): void {
    const { client } = this.deps;
    const [namespace, name] = splitKey(key);
    const svc = client.get<Svc>('services', namespace, name);
    if (!svc) {
      try {
        client.delete('endpoints', namespace, name);
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !svc.spec?.selector) return;
    const selector = selectorFromSet(svc.spec.selector);
    const pods = client
      .list<Pod & KubeObject>('pods', { namespace })
      .filter((p) => selector.matches(p.metadata.labels));
    const subsets = buildSubsets(svc, pods);
    const current = client.get<Ep>('endpoints', namespace, name);
    // The headless label is ours, not the service's: compare without it (as upstream).
    const { [HEADLESS_LABEL]: _ignored, ...currentLabels } = current?.metadata.labels ?? {};
    if (
      current &&
      semanticEqual(current.subsets ?? [], subsets) &&
      semanticEqual(currentLabels, svc.metadata.labels ?? {}) &&
      capacityAnnotationCorrect(current.metadata.annotations, current.subsets ?? [])
    ) {
      return;
    }
    const next: Ep = current ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    const annotations = { ...(next.metadata.annotations ?? {}) };
    if (truncateSubsets(subsets)) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    if (Object.keys(annotations).length) next.metadata.annotations = annotations;
    else delete next.metadata.annotations;
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    // IsServiceIPSet: neither None nor empty.
    if (svc.spec.clusterIP === 'None' || !svc.spec.clusterIP) labels[HEADLESS_LABEL] = '';
    next.metadata.labels = labels;
    if (subsets.length) next.subsets = subsets;
    else delete next.subsets;
    if (current) client.update('endpoints', next);
    else client.create('endpoints', next);
  }
}
