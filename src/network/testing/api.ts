/**
 * A real API registry (SQLite store in memory, the production strategies, the service IP
 * allocator) for network tests, plus helpers that play the endpoints controller and the
 * kubelet: the DNS server and the proxy are tested against the same ObjectClient the engine
 * gives them, not a fake.
 */
import type { EndpointSubset, Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import { createStrategies } from '../../api/registry/catalog.js';
import { Registry } from '../../api/registry/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../../controllers/client.js';
import { Store } from '../../store/sqlite-store.js';

export type Obj<T> = T & KubeObject;

export interface TestApi {
  client: ObjectClient;
  close(): void;
}

export function startTestApi(): TestApi {
  const store = Store.open({ path: ':memory:' });
  const client = new Registry({
    store,
    strategies: createStrategies({ store }),
    clock: { now: () => new Date() },
  });
  for (const name of ['default', 'kube-system', 'apps']) {
    client.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  return { client, close: () => store.close() };
}

export function createService(api: TestApi, ns: string, name: string, spec: Service['spec']): Obj<Service> {
  return api.client.create<Obj<Service>>('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: spec ?? {},
  });
}

/** Writes the Endpoints object as the endpoints controller would (create or replace). */
export function setEndpoints(
  api: TestApi,
  ns: string,
  name: string,
  subsets: EndpointSubset[],
): Obj<Endpoints> {
  const cur = api.client.get<Obj<Endpoints>>('endpoints', ns, name);
  const next = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name, namespace: ns },
    subsets,
  } as Obj<Endpoints>;
  if (!cur) return api.client.create('endpoints', next);
  return api.client.update('endpoints', { ...cur, subsets });
}

/** A running pod with the given IP, as the kubelet reports it. */
export function createRunningPod(
  api: TestApi,
  ns: string,
  name: string,
  ip: string,
  spec: Partial<Pod['spec']> = {},
): Obj<Pod> {
  const pod = api.client.create<Obj<Pod>>('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec },
  });
  return api.client.updateStatus('pods', {
    ...pod,
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] },
  });
}
