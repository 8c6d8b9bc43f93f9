/**
 * API discovery, both forms kubectl understands, derived from the one resource catalog:
 *  - aggregated (apidiscovery.k8s.io/v2): two requests, /api and /apis, answered with the exact
 *    Content-Type `...;as=APIGroupDiscoveryList` (the same body as plain JSON is read as legacy);
 *  - legacy: /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version}.
 */
import type { ResourceInfo } from './types.js';

/** Subresources each resource serves (discovery lists them; the handlers implement them). */
export const SUBRESOURCES: Readonly<
  Record<
    string,
    readonly { name: string; kind: string; group?: string; version?: string; verbs: readonly string[] }[]
  >
> = {
  pods: [
    { name: 'status', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  ],
  namespaces: [
    { name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
    { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
  ],
  services: [{ name: 'status', kind: 'Service', verbs: ['get', 'patch', 'update'] }],
  serviceaccounts: [
    { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
  ],
  nodes: [{ name: 'status', kind: 'Node', verbs: ['get', 'patch', 'update'] }],
  resourcequotas: [{ name: 'status', kind: 'ResourceQuota', verbs: ['get', 'patch', 'update'] }],
  persistentvolumes: [{ name: 'status', kind: 'PersistentVolume', verbs: ['get', 'patch', 'update'] }],
  persistentvolumeclaims: [
    { name: 'status', kind: 'PersistentVolumeClaim', verbs: ['get', 'patch', 'update'] },
  ],
  daemonsets: [{ name: 'status', kind: 'DaemonSet', verbs: ['get', 'patch', 'update'] }],
  deployments: [
    { name: 'status', kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
  jobs: [{ name: 'status', kind: 'Job', verbs: ['get', 'patch', 'update'] }],
  horizontalpodautoscalers: [
    { name: 'status', kind: 'HorizontalPodAutoscaler', verbs: ['get', 'patch', 'update'] },
  ],
  cronjobs: [{ name: 'status', kind: 'CronJob', verbs: ['get', 'patch', 'update'] }],
  replicasets: [
    { name: 'status', kind: 'ReplicaSet', verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
  poddisruptionbudgets: [{ name: 'status', kind: 'PodDisruptionBudget', verbs: ['get', 'patch', 'update'] }],
  ingresses: [{ name: 'status', kind: 'Ingress', verbs: ['get', 'patch', 'update'] }],
  customresourcedefinitions: [
    { name: 'status', kind: 'CustomResourceDefinition', verbs: ['get', 'patch', 'update'] },
  ],
  statefulsets: [
    { name: 'status', kind: 'StatefulSet', verbs: ['get', 'patch', 'update'] },
    { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  ],
};

/** The subresources discovery lists for a resource: the table above, or a custom resource's own. */
const subresourcesOf = (r: ResourceInfo) =>
  SUBRESOURCES[r.resource] ?? (r.subresources?.length ? r.subresources : undefined);

export const AGGREGATED_DISCOVERY_CONTENT_TYPE =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the client accepts aggregated discovery (kubectl 1.26+ asks for it first). */
export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  const first = accept.split(',')[0] ?? '';
  return (
    /as=APIGroupDiscoveryList/.test(first) &&
    /g=apidiscovery\.k8s\.io/.test(first) &&
    /v=v2(?!beta)/.test(first)
  );
}

interface GroupVersions {
  group: string;
  versions: Map<string, ResourceInfo[]>;
}

function groupsOf(resources: readonly ResourceInfo[]): GroupVersions[] {
  const out = new Map<string, GroupVersions>();
  for (const r of resources) {
    let g = out.get(r.group);
    if (!g) {
      g = { group: r.group, versions: new Map() };
      out.set(r.group, g);
    }
    const list = g.versions.get(r.version) ?? [];
    list.push(r);
    g.versions.set(r.version, list);
  }
  return [...out.values()];
}

export function aggregatedDiscovery(resources: readonly ResourceInfo[], prefix: 'api' | 'apis') {
  const groups = groupsOf(resources).filter((g) => (prefix === 'api' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.group, creationTimestamp: null },
      versions: [...g.versions.entries()].map(([version, list]) => ({
        version,
        freshness: 'Current',
        resources: list.map((r) => ({
          resource: r.resource,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: r.verbs,
          ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories.length ? { categories: r.categories } : {}),
          ...(subresourcesOf(r)
            ? {
                subresources: subresourcesOf(r)!.map((sr) => ({
                  subresource: sr.name,
                  responseKind: {
                    group: sr.group ?? r.group,
                    version: sr.version ?? r.version,
                    kind: sr.kind,
                  },
                  verbs: sr.verbs,
                })),
              }
            : {}),
        })),
      })),
    })),
  };
}

export function legacyApiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function apiGroup(g: GroupVersions) {
  const versions = [...g.versions.keys()].map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { name: g.group, versions, preferredVersion: versions[0]! };
}

export function legacyGroupList(resources: readonly ResourceInfo[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groupsOf(resources)
      .filter((g) => g.group !== '')
      .map(apiGroup),
  };
}

export function legacyGroup(resources: readonly ResourceInfo[], group: string) {
  const g = groupsOf(resources).find((x) => x.group === group && group !== '');
  return g ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) } : undefined;
}

export function legacyResourceList(resources: readonly ResourceInfo[], group: string, version: string) {
  const list = resources.filter((r) => r.group === group && r.version === version);
  if (list.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: list.flatMap((r) => [
      {
        name: r.resource,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
      },
      ...(subresourcesOf(r) ?? []).map((sr) => ({
        name: `${r.resource}/${sr.name}`,
        singularName: '',
        namespaced: r.namespaced,
        ...('group' in sr && sr.group
          ? { group: sr.group, version: (sr as { version?: string }).version }
          : {}),
        kind: sr.kind,
        verbs: sr.verbs,
      })),
    ]),
  };
}
