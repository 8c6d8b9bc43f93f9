/**
 * A registry over an in-memory store with every kind's strategy, the engine's admission plugins
 * (or the given ones) and the `default` namespace, for tests of admission through the write path.
 */

import { Store } from '../../../store/sqlite-store.js';
import { createStrategies } from '../../registry/catalog.js';
import { Registry } from '../../registry/registry.js';
import type { KubeObject } from '../../types.js';
import { admissionPlugins } from '../plugins.js';
import type { AdmissionPlugin } from '../types.js';

export interface AdmissionTestRegistry {
  store: Store;
  registry: Registry;
  close(): void;
}

export function openAdmissionRegistry(
  plugins: readonly AdmissionPlugin[] = admissionPlugins(),
): AdmissionTestRegistry {
  const store = Store.open({ path: ':memory:' });
  const registry = new Registry({
    store,
    strategies: createStrategies({ store }),
    clock: { now: () => new Date() },
    admission: plugins,
  });
  registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return { store, registry, close: () => store.close() };
}

/** A pod in `default` with one container per entry (name → resources). */
export function podWith(
  name: string,
  containers: Record<
    string,
    { requests?: Record<string, string>; limits?: Record<string, string> } | undefined
  >,
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: Object.entries(containers).map(([c, resources]) => ({
        name: c,
        image: 'busybox',
        ...(resources ? { resources } : {}),
      })),
    },
  };
}

/** The message of what `fn` throws (an ApiError), for assert.equal against upstream's text. */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
}
