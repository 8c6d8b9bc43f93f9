/**
 * A registry over an in-memory store with every kind's strategy and the `default` namespace, for tests
 * of a kind's strategy through the registry (defaults, validation, update rules), as the API serves it.
 */
import { Store } from '../../store/sqlite-store.js';
import { createStrategies } from '../registry/catalog.js';
import { Registry } from '../registry/registry.js';

export interface TestRegistry {
  store: Store;
  registry: Registry;
}

/** Call in `before`; close `store` in `after`. */
export function openTestRegistry(): TestRegistry {
  const store = Store.open({ path: ':memory:' });
  const registry = new Registry({
    store,
    strategies: createStrategies({ store }),
    clock: { now: () => new Date() },
  });
  registry.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return { store, registry };
}
