/**
 * Objects a cluster has from its first second: the four system namespaces, this Node and the two
 * system PriorityClasses.
 * Idempotent: a restart finds them and leaves them (and the user's changes to them) alone.
 */
import { IS_DEFAULT_CLASS_ANNOTATION } from '../api/admission/defaultingressclass.js';
import { SYSTEM_PRIORITY_CLASSES } from '../api/registry/priorityclasses/system-classes.js';
import type { Registry } from '../api/registry/registry.js';
import { microTime } from '../api/registry/util.js';
import type { KubeObject } from '../api/types.js';
import { DEFAULT_ADDRESS_PLAN } from '../network/address-plan.js';
import { INGRESS_CLASS_NAME, INGRESS_CONTROLLER_NAME } from '../network/ingress/ingress-class.js';
import { buildNode, nodeName } from './node.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
/** kube-apiserver's system namespaces controller checks once a minute (systemNamespacesInterval). */
export const SYSTEM_NAMESPACES_EVERY_MS = 60_000;

/**
 * Creates the system namespaces that are missing, as the bootstrap and system namespaces
 * controllers of kube-apiserver do: kube-node-lease (and any other not protected from deletion)
 * comes back within a minute of being deleted. A namespace still terminating is left to finish.
 */
export function ensureSystemNamespaces(registry: Registry): void {
  for (const name of SYSTEM_NAMESPACES) {
    if (!registry.getStored('namespaces', '', name)) {
      registry.createIn('namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }
}

export function ensureBootstrapObjects(registry: Registry, dataDir: string, now: Date): void {
  ensureSystemNamespaces(registry);
  ensureIngressClass(registry);
  heartbeatNode(registry, dataDir, now);
  renewNodeLease(registry, now);
  ensureSystemPriorityClasses(registry);
}

/**
 * kube-apiserver's scheduling/bootstrap-system-priority-classes post-start hook: each system
 * PriorityClass is created when missing; one that exists is left as it is.
 */
export function ensureSystemPriorityClasses(registry: Registry): void {
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    if (registry.getStored('priorityclasses', '', pc.metadata!.name!)) continue;
    registry.create('priorityclasses', structuredClone(pc) as unknown as KubeObject);
  }
}

/**
 * The IngressClass `podbay` (controller podbay.io/ingress, the default class), which the engine's
 * ingress controller serves (src/network/ingress), created on first start as an ingress
 * controller's install manifest creates its class. Created when missing at each start (as an addon
 * manager in EnsureExists mode does); once it exists, a user's changes to it (taking the default
 * annotation away, another controller) are left alone.
 */
export function ensureIngressClass(registry: Registry): void {
  if (registry.getStored('ingressclasses', '', INGRESS_CLASS_NAME)) return;
  registry.createIn('ingressclasses', '', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: INGRESS_CLASS_NAME,
      labels: { 'app.kubernetes.io/name': 'podbay-ingress', 'app.kubernetes.io/component': 'controller' },
      annotations: { [IS_DEFAULT_CLASS_ANNOTATION]: 'true' },
    },
    spec: { controller: INGRESS_CONTROLLER_NAME },
  });
}

/** Creates the Node, or refreshes its status (capacity, heartbeat) as the kubelet's status loop does. */
export function heartbeatNode(registry: Registry, dataDir: string, now: Date): void {
  const fresh = buildNode(dataDir, now);
  const current = registry.get('nodes', '', nodeName());
  if (!current) {
    const created = registry.createIn('nodes', '', fresh);
    registry.updateStatus('nodes', { ...created, status: fresh.status });
    return;
  }
  // Keep transition times of conditions whose status did not change.
  const oldConds = new Map(
    (
      (current.status as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] })
        ?.conditions ?? []
    ).map((c) => [c.type, c]),
  );
  const status = structuredClone(fresh.status) as {
    conditions: { type: string; status: string; lastTransitionTime?: string }[];
  };
  for (const c of status.conditions) {
    const o = oldConds.get(c.type);
    if (o && o.status === c.status && o.lastTransitionTime) c.lastTransitionTime = o.lastTransitionTime;
  }
  registry.updateStatus('nodes', { ...(current as KubeObject), status });
}

/**
 * The `kubernetes` Service in `default`, as every cluster has: the first service IP, port 443,
 * backed by an Endpoints object the API server keeps pointing at itself (it has no selector,
 * so the endpoints controller leaves it alone, as upstream's endpoint reconciler does). When pods
 * run, `address` is the bridge gateway the API also listens on, so pods reach it through the
 * Service.
 */
export function ensureKubernetesService(
  registry: Registry,
  address: string,
  port: number,
  clusterIP = DEFAULT_ADDRESS_PLAN.kubernetesServiceIP,
): void {
  if (!registry.getStored('services', 'default', 'kubernetes')) {
    registry.createIn('services', 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP,
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }],
        sessionAffinity: 'None',
      },
    });
  }
  ensureEndpoints(registry, 'default', 'kubernetes', { 'endpointslice.kubernetes.io/skip-mirror': 'true' }, [
    { addresses: [{ ip: address }], ports: [{ name: 'https', port, protocol: 'TCP' }] },
  ]);
  // Keep the Service's targetPort on the API's real port (it changes with --listen).
  const svc = registry.get('services', 'default', 'kubernetes');
  const ports = (svc?.spec as { ports?: { targetPort?: number }[] } | undefined)?.ports;
  if (svc && ports?.[0] && ports[0].targetPort !== port) {
    ports[0].targetPort = port;
    registry.update('services', svc);
  }
}

/**
 * The cluster DNS Service, `kube-system/kube-dns` (10.96.0.10 by default) with upstream CoreDNS's ports
 * (53/UDP `dns`, 53/TCP `dns-tcp`) and labels, but without a selector: the server is built into
 * the engine, so its Endpoints are kept here, pointing at the gateway address it listens on.
 * Pods' resolv.conf names the ClusterIP, and the service proxy carries the queries.
 */
export function ensureClusterDnsService(
  registry: Registry,
  address: string,
  port: number,
  clusterIP = DEFAULT_ADDRESS_PLAN.clusterDnsIP,
): void {
  if (!registry.getStored('services', 'kube-system', 'kube-dns')) {
    registry.createIn('services', 'kube-system', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        labels: {
          'k8s-app': 'kube-dns',
          'kubernetes.io/cluster-service': 'true',
          'kubernetes.io/name': 'CoreDNS',
        },
      },
      spec: {
        type: 'ClusterIP',
        clusterIP,
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: port },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: port },
        ],
        sessionAffinity: 'None',
      },
    });
  }
  ensureEndpoints(registry, 'kube-system', 'kube-dns', { 'k8s-app': 'kube-dns' }, [
    {
      addresses: [{ ip: address }],
      ports: [
        { name: 'dns', port, protocol: 'UDP' },
        { name: 'dns-tcp', port, protocol: 'TCP' },
      ],
    },
  ]);
}

/** Creates the Endpoints, or rewrites its subsets when they differ (an address or port moved). */
function ensureEndpoints(
  registry: Registry,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  subsets: unknown[],
): void {
  const cur = registry.get('endpoints', namespace, name);
  if (!cur) {
    registry.createIn('endpoints', namespace, {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels },
      subsets,
    });
  } else if (JSON.stringify(cur.subsets) !== JSON.stringify(subsets)) {
    registry.update('endpoints', { ...cur, subsets });
  }
}

/** How long a node lease is valid and how often it is renewed (kubelet's defaults: 40 s, every 10 s). */
export const NODE_LEASE_DURATION_SECONDS = 40;
export const NODE_LEASE_RENEW_MS = 10_000;

/** Creates or renews this node's Lease in kube-node-lease, owned by the Node as the kubelet's is. */
export function renewNodeLease(registry: Registry, now: Date): void {
  const name = nodeName();
  const node = registry.get('nodes', '', name);
  if (!node) return;
  const renewTime = microTime(now);
  const lease = registry.get('leases', 'kube-node-lease', name);
  if (!lease) {
    registry.createIn('leases', 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid! }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: NODE_LEASE_DURATION_SECONDS, renewTime },
    });
    return;
  }
  registry.update('leases', { ...lease, spec: { ...(lease.spec as object), renewTime } });
}
