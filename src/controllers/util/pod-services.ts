/**
 * Which Services select a pod, remembered across events, for controllers keyed by Service
 * (endpoints, endpointslices): a pod event must requeue the Services that select it now AND
 * those that selected it before (a label change or a deletion leaves them stale otherwise).
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { selectorFromSet } from '../../api/selectors/label-selector.js';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import type { ObjectClient } from '../client.js';
import { keyOf } from './owners.js';

export class PodServiceIndex {
  /** pod key → keys of the Services that selected it at its last event. */
  readonly #services = new Map<string, string[]>();

  constructor(private readonly client: ObjectClient) {}

  /** The Service keys to requeue for this pod event. */
  keysFor(ev: WatchEvent): readonly string[] {
    const pod = ev.object as Pod & KubeObject;
    const podKey = keyOf(pod);
    const before = this.#services.get(podKey) ?? [];
    const now =
      ev.type === 'DELETED'
        ? []
        : this.client
            .scan<Service & KubeObject>('services', { namespace: pod.metadata.namespace })
            .filter((s) => s.spec?.selector && selectorFromSet(s.spec.selector).matches(pod.metadata.labels))
            .map(keyOf);
    if (now.length) this.#services.set(podKey, now);
    else this.#services.delete(podKey);
    return [...new Set([...before, ...now])];
  }
}
