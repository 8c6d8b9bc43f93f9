/**
 * A real API registry (SQLite store in memory, the production strategies, the service IP
 * allocator) for network tests, plus helpers that play the EndpointSlice controller and the
 * kubelet: the DNS server and the proxy are tested against the same ObjectClient the engine
 * gives them, not a fake.
 */
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { createStrategies } from '../../api/registry/catalog.js';
import { Registry } from '../../api/registry/registry.js';
import type { KubeObject } from '../../api/types.js';
import type { ObjectClient } from '../../controllers/client.js';
import { Store } from '../../store/sqlite-store.js';
import { endpointSlice, type SliceContent } from './slices.js';

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

/** Writes one EndpointSlice of `service` (create or replace), named after it unless `name` is given. */
export function setEndpointSlice(
  api: TestApi,
  ns: string,
  service: string,
  content: SliceContent,
  name = service,
): Obj<EndpointSlice> {
  const next = endpointSlice(ns, service, content, name) as Obj<EndpointSlice>;
  const cur = api.client.get<Obj<EndpointSlice>>('endpointslices', ns, name);
  if (!cur) return api.client.create('endpointslices', next);
  return api.client.update('endpointslices', { ...cur, endpoints: next.endpoints, ports: next.ports });
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
