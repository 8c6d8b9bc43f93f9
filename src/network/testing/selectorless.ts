/**
 * Selector-less Services for the services e2e, in the two ways current Kubernetes docs give
 * them endpoints: an EndpointSlice the user writes (labelled kubernetes.io/service-name), and
 * the older Endpoints object, which the EndpointSlice mirroring controller copies into a
 * slice. Both point at pod IPs the test already knows; `manual-headless` adds a hand-written
 * slice with a hostname, for per-endpoint DNS names.
 */
export interface SelectorlessTargets {
  /** Served through a hand-written EndpointSlice. */
  sliceIP: string;
  /** Served through hand-written Endpoints. */
  endpointsIP: string;
  /** Port the pods listen on. */
  port: number;
}

export const SELECTORLESS = {
  bySlice: 'manual-slice',
  byEndpoints: 'manual-endpoints',
  headless: 'manual-headless',
  headlessHostname: 'member-0',
} as const;

export function selectorlessManifests(t: SelectorlessTargets): string {
  const s = SELECTORLESS;
  return `apiVersion: v1
kind: Service
metadata: {name: ${s.bySlice}}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${s.bySlice}-1
  labels: {kubernetes.io/service-name: ${s.bySlice}}
addressType: IPv4
ports: [{name: http, port: ${t.port}, protocol: TCP}]
endpoints:
- addresses: [${t.sliceIP}]
  conditions: {ready: true}
---
apiVersion: v1
kind: Service
metadata: {name: ${s.byEndpoints}}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: ${s.byEndpoints}, labels: {owner: e2e}}
subsets:
- addresses: [{ip: ${t.endpointsIP}}]
  ports: [{name: http, port: ${t.port}, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata: {name: ${s.headless}}
spec:
  clusterIP: None
  ports: [{name: http, port: 80}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${s.headless}-1
  labels: {kubernetes.io/service-name: ${s.headless}}
addressType: IPv4
ports: [{name: http, port: ${t.port}, protocol: TCP}]
endpoints:
- addresses: [${t.sliceIP}]
  hostname: ${s.headlessHostname}
`;
}
