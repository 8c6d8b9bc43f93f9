/**
 * Serves the custom resources of the established CRDs, and deletes a CRD's objects before the CRD
 * itself goes (upstream's customresourcecleanup.apiextensions.k8s.io finalizer controller, with
 * its Terminating condition). The one owner of the registry's custom strategies: rebuilt from the
 * stored CRDs at start and on every CRD change, after commit, so a CRD answered as created and
 * Established is served by the next request.
 */
import type { CustomResourceDefinition } from 'kubernetes-types/apiextensions/v1';
import { isEstablished } from '../registry/customresourcedefinitions/naming.js';
import { CRD_CLEANUP_FINALIZER } from '../registry/customresourcedefinitions/strategy.js';
import type { Registry } from '../registry/registry.js';
import type { Strategy } from '../registry/strategy.js';
import { nowRFC3339 } from '../registry/util.js';
import type { KubeObject } from '../types.js';
import { customResourceStrategy } from './custom-resource-strategy.js';

const CRDS = 'customresourcedefinitions';

export interface CustomResourceServingDeps {
  registry: Registry;
  clock: { now(): Date };
  log?: (msg: string) => void;
}

export class CustomResourceServing {
  readonly #d: CustomResourceServingDeps;
  #unsubscribe: (() => void) | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(deps: CustomResourceServingDeps) {
    this.#d = deps;
  }

  /** Serves what is stored and follows CRD changes (safe to call once). */
  start(): void {
    this.#rebuild();
    this.#unsubscribe = this.#d.registry.store.subscribe((e) => {
      if (e.key.resource !== CRDS) return;
      this.#rebuild();
      const crd = e.object as unknown as CustomResourceDefinition;
      if (e.type !== 'DELETED' && crd.metadata?.deletionTimestamp) this.#schedule(crd.metadata.name!, 0);
    });
    // A CRD left terminating by a restart is finished now.
    for (const crd of this.#crds())
      if (crd.metadata?.deletionTimestamp) this.#schedule(crd.metadata.name!, 0);
  }

  /** Stops following CRD changes (safe to call twice). */
  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #crds(): CustomResourceDefinition[] {
    return this.#d.registry.store.list(CRDS, '').map((o) => o.object as unknown as CustomResourceDefinition);
  }

  #rebuild(): void {
    const strategies = this.#crds()
      .filter(isEstablished)
      .map(customResourceStrategy)
      .filter((s): s is Strategy => s !== undefined);
    for (const s of this.#d.registry.setCustomStrategies(strategies))
      this.#d.log?.(
        `custom resource ${s.info.resource}.${s.info.group} not served: a served kind has that plural`,
      );
  }

  #schedule(name: string, delayMs: number): void {
    if (this.#stopped) return;
    const t = setTimeout(() => {
      this.#timers.delete(t);
      try {
        if (!this.#cleanup(name)) this.#schedule(name, 1000);
      } catch (e) {
        this.#d.log?.(`custom resource cleanup of ${name}: ${(e as Error).message}`);
        this.#schedule(name, 1000);
      }
    }, delayMs);
    this.#timers.add(t);
  }

  /** One pass of the finalizer: true when done (or nothing to do). */
  #cleanup(name: string): boolean {
    const { registry } = this.#d;
    const stored = registry.getStored(CRDS, '', name);
    if (!stored) return true;
    const crd = structuredClone(stored.object) as unknown as CustomResourceDefinition & KubeObject;
    if (!crd.metadata.deletionTimestamp || !crd.metadata.finalizers?.includes(CRD_CLEANUP_FINALIZER))
      return true;
    const plural = crd.status?.acceptedNames?.plural || crd.spec.names.plural;
    const served = registry
      .strategies()
      .some((s) => s.info.resource === plural && s.info.group === crd.spec.group);
    if (served) {
      this.#setTerminating(crd, 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
      for (const o of registry.store.list(plural)) {
        if (o.object.metadata.deletionTimestamp) continue;
        registry.delete(plural, o.object.metadata.namespace ?? '', o.object.metadata.name!);
      }
      if (registry.store.list(plural).length > 0) return false;
    }
    const latest = structuredClone(registry.mustGet(CRDS, '', name).object);
    latest.metadata.finalizers = (latest.metadata.finalizers ?? []).filter(
      (f) => f !== CRD_CLEANUP_FINALIZER,
    );
    registry.updateIn(CRDS, '', name, latest, false);
    return true;
  }

  #setTerminating(crd: CustomResourceDefinition & KubeObject, reason: string, message: string): void {
    const conds = [...(crd.status?.conditions ?? [])];
    if (conds.some((c) => c.type === 'Terminating' && c.reason === reason)) return;
    const i = conds.findIndex((c) => c.type === 'Terminating');
    const cond = {
      type: 'Terminating',
      status: 'True',
      reason,
      message,
      lastTransitionTime: nowRFC3339(this.#d.clock.now()),
    };
    if (i >= 0) conds[i] = cond;
    else conds.push(cond);
    const next = { ...crd, status: { ...crd.status, conditions: conds } } as KubeObject;
    this.#d.registry.updateIn(CRDS, '', crd.metadata.name!, next, true);
  }
}
