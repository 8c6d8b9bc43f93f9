/**
 * The namespace controller's deletion half, as upstream's namespace/deletion: for a namespace
 * with deletionTimestamp, keep status.phase Terminating, delete every namespaced object of
 * every resource in it (Background), report what is left in the deletion conditions, and once
 * nothing is left remove the `kubernetes` spec finalizer so the registry removes the namespace.
 * Deletions of content in a terminating namespace re-enqueue it, so it finishes promptly.
 */
import type { Namespace } from 'kubernetes-types/core/v1';
import type { KubeObject, WatchEvent } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { semanticEqual } from '../util/semantic-equal.js';
import { type DeletionProblems, deletionConditions } from './conditions.js';

type Ns = Namespace & KubeObject;
const FINALIZER = 'kubernetes';
/** How soon to look again while content remains (upstream estimates from grace periods). */
const REMAINING_REQUEUE_MS = 1000;
/**
 * How long after a namespace starts terminating its content deletion begins. `kubectl delete -f`
 * sends the namespace's DELETE first and then one DELETE per object in the file; on a real
 * cluster the controller's discovery and list round trips take long enough that those requests
 * still find their objects. Deleting instantly would make them fail with NotFound.
 */
export const CONTENT_DELETION_DELAY_MS = 1500;

export interface NamespaceControllerOptions extends QueueControllerOptions {
  /** Overrides CONTENT_DELETION_DELAY_MS (unit tests use 0). */
  contentDeletionDelayMs?: number;
}

export class NamespaceController extends QueueController {
  readonly name = 'namespace';
  readonly #delayMs: number;

  constructor(deps: ControllerDeps, options: NamespaceControllerOptions = {}) {
    super(deps, options);
    this.#delayMs = options.contentDeletionDelayMs ?? CONTENT_DELETION_DELAY_MS;
  }

  /** When this controller first saw each namespace terminating (for CONTENT_DELETION_DELAY_MS). */
  readonly #terminatingSince = new Map<string, number>();

  protected watches(): readonly WatchSpec[] {
    const nsWatch: WatchSpec = { resource: 'namespaces', keysFor: (ev) => [ev.object.metadata.name!] };
    const content = this.deps.client
      .resources()
      .filter((r) => r.namespaced)
      .map(
        (r): WatchSpec => ({
          resource: r.resource,
          keysFor: (ev: WatchEvent) =>
            ev.type === 'DELETED' && this.#terminating(ev.object.metadata.namespace)
              ? [ev.object.metadata.namespace!]
              : [],
        }),
      );
    return [nsWatch, ...content];
  }

  #terminating(ns: string | undefined): boolean {
    return !!ns && !!this.deps.client.get('namespaces', '', ns)?.metadata.deletionTimestamp;
  }

  protected allKeys(): readonly string[] {
    return this.deps.client
      .list('namespaces')
      .filter((n) => n.metadata.deletionTimestamp)
      .map((n) => n.metadata.name!);
  }

  protected sync(name: string): void {
    const { client } = this.deps;
    let ns = client.get<Ns>('namespaces', '', name);
    if (!ns?.metadata.deletionTimestamp) return;
    if (ns.status?.phase !== 'Terminating') {
      ns = client.updateStatus<Ns>('namespaces', {
        ...ns,
        status: { ...(ns.status ?? {}), phase: 'Terminating' },
      });
    }
    if (!(ns.spec?.finalizers ?? []).includes(FINALIZER)) {
      this.#terminatingSince.delete(name);
      return;
    }
    const now = this.deps.clock.now().getTime();
    const since = this.#terminatingSince.get(name) ?? now;
    this.#terminatingSince.set(name, since);
    if (now - since < this.#delayMs) {
      this.queue.addAfter(name, this.#delayMs - (now - since));
      return;
    }
    const problems = this.#deleteAllContent(name);
    const conditions = deletionConditions(ns.status?.conditions, problems, this.deps.clock.now());
    if (!semanticEqual(conditions, ns.status?.conditions)) {
      ns = client.updateStatus<Ns>('namespaces', {
        ...ns,
        status: { ...(ns.status ?? {}), phase: 'Terminating', conditions },
      });
    }
    if (problems.deleteErrors.length)
      throw new Error(`namespace ${name}: ${problems.deleteErrors.join('; ')}`);
    if ([...problems.remaining.values()].some((n) => n > 0)) {
      this.queue.addAfter(name, REMAINING_REQUEUE_MS);
      return;
    }
    ns.spec = { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f) => f !== FINALIZER) };
    client.update('namespaces', ns);
    this.#terminatingSince.delete(name);
  }

  /**
   * Deletes every namespaced object in the namespace and counts what is left, as upstream's
   * deleteAllContent: content left only because it carries finalizers, or because pods are
   * still terminating gracefully, is expected; anything else left is an error.
   */
  #deleteAllContent(namespace: string): DeletionProblems {
    const { client } = this.deps;
    const problems: DeletionProblems = { deleteErrors: [], remaining: new Map(), finalizers: new Map() };
    for (const { resource } of client.resources().filter((r) => r.namespaced)) {
      let failed: unknown;
      for (const o of client.list(resource, { namespace })) {
        if (o.metadata.deletionTimestamp) continue;
        try {
          client.delete(resource, namespace, o.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if ((e as { code?: number }).code !== 404) failed ??= e;
        }
      }
      if (failed) {
        problems.deleteErrors.push(failed instanceof Error ? failed.message : String(failed));
        continue;
      }
      const left = client.list(resource, { namespace });
      if (left.length === 0) continue;
      const [group, version] = groupVersionOf(left[0]!);
      problems.remaining.set(`${resource}.${group}`, left.length);
      let withFinalizers = 0;
      for (const o of left) {
        if (o.metadata.finalizers?.length) withFinalizers++;
        for (const f of o.metadata.finalizers ?? [])
          problems.finalizers.set(f, (problems.finalizers.get(f) ?? 0) + 1);
      }
      const gracefulPods = resource === 'pods' && left.every((o) => o.metadata.deletionTimestamp);
      if (withFinalizers === 0 && !gracefulPods) {
        problems.deleteErrors.push(
          `unexpected items still remain in namespace: ${namespace} for gvr: ${group}/${version}, Resource=${resource}`,
        );
      }
    }
    return problems;
  }
}

const groupVersionOf = (o: KubeObject): [string, string] => {
  const i = o.apiVersion.indexOf('/');
  return i < 0 ? ['', o.apiVersion] : [o.apiVersion.slice(0, i), o.apiVersion.slice(i + 1)];
};
