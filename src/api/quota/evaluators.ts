/**
 * Quota evaluators: what a quota counts for each kind, as k8s.io/kubernetes pkg/quota/v1/evaluator/core
 * (pods.go, services.go, persistent_volume_claims.go) and k8s.io/apiserver pkg/quota/v1/generic (the object count evaluator every
 * other kind gets: `count/<resource>[.<group>]`, plus the legacy names `configmaps`, `secrets`,
 * `resourcequotas`). The ResourceQuota admission plugin charges with them; the quota controller
 * recomputes usage with them. One source for both, so the two always agree.
 */
import type {
  PersistentVolumeClaim,
  Pod,
  PodAffinityTerm,
  ScopedResourceSelectorRequirement,
  Service,
  WeightedPodAffinityTerm,
} from 'kubernetes-types/core/v1';
import type { Quantity } from '../quantity.js';
import { claimClass } from '../registry/persistentvolumes/helpers.js';
import { podQOSClass } from '../registry/pods/qos.js';
import type { KubeObject } from '../types.js';
import { isNative } from '../validation/resources.js';
import { podLimits, podRequests } from './pod-resources.js';
import { add, count, parseList, type ResourceList, ZERO } from './resources.js';

export interface EvaluatedRequest {
  readonly operation: 'CREATE' | 'UPDATE';
  readonly subresource: string;
  readonly object: KubeObject;
  readonly oldObject: KubeObject | undefined;
}

export interface Evaluator {
  readonly group: string;
  readonly resource: string;
  /** Whether this request changes what the quota counts (quota.Evaluator.Handles). */
  handles(r: EvaluatedRequest): boolean;
  /** The names, of those given, this evaluator counts. */
  matchingResources(names: readonly string[]): string[];
  /** Whether the object is in the scope (pods only; other kinds match no scope). */
  matchesScope(selector: ScopedResourceSelectorRequirement, obj: KubeObject): boolean;
  /** Requirements a quota with these resources puts on the object: an error message, or undefined. */
  constraints(required: readonly string[], obj: KubeObject): string | undefined;
  usage(obj: KubeObject, now: Date): ResourceList;
}

/** generic.ObjectCountQuotaResourceNameFor. */
export const objectCountName = (group: string, resource: string): string =>
  group ? `count/${resource}.${group}` : `count/${resource}`;

/** Upstream's DefaultIgnoredResources that podbay serves: never counted. */
const IGNORED = new Set(['/events', 'events.k8s.io/events']);
export const isIgnoredResource = (group: string, resource: string): boolean =>
  IGNORED.has(`${group}/${resource}`);

/** legacyObjectCountAliases (pkg/quota/v1/evaluator/core/registry.go). */
const LEGACY_ALIASES: Readonly<Record<string, string>> = {
  configmaps: 'configmaps',
  resourcequotas: 'resourcequotas',
  replicationcontrollers: 'replicationcontrollers',
  secrets: 'secrets',
};

function objectCountEvaluator(group: string, resource: string): Evaluator {
  const alias = group === '' ? LEGACY_ALIASES[resource] : undefined;
  const names = [objectCountName(group, resource), ...(alias ? [alias] : [])];
  return {
    group,
    resource,
    handles: (r) => r.operation === 'CREATE' && r.subresource === '',
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage: () => new Map(names.map((n) => [n, count(1)])),
  };
}

// ---- services -----------------------------------------------------------------------------------

const SERVICE_RESOURCES = ['count/services', 'services', 'services.nodeports', 'services.loadbalancers'];

const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  // Create and update: a Service's type, and so its node ports, can change.
  handles: (r) => r.operation === 'CREATE' || r.operation === 'UPDATE',
  matchingResources: (input) => input.filter((n) => SERVICE_RESOURCES.includes(n)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage: (obj) => {
    const svc = obj as Service;
    const ports = svc.spec?.ports ?? [];
    const out = new Map<string, Quantity>([
      ['count/services', count(1)],
      ['services', count(1)],
      ['services.loadbalancers', ZERO],
      ['services.nodeports', ZERO],
    ]);
    if (svc.spec?.type === 'NodePort') out.set('services.nodeports', count(ports.length));
    if (svc.spec?.type === 'LoadBalancer') {
      // Node ports not allocated yet count by intent: all ports, or only explicit ones when
      // allocateLoadBalancerNodePorts is false.
      const withNodePorts =
        svc.spec.allocateLoadBalancerNodePorts === false
          ? ports.filter((p) => p.nodePort).length
          : ports.length;
      out.set('services.nodeports', count(withNodePorts));
      out.set('services.loadbalancers', count(1));
    }
    return out;
  },
};

// ---- pods ---------------------------------------------------------------------------------------

const POD_RESOURCES = [
  'count/pods',
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
];

/**
 * "it was a mistake, but if a quota tracks cpu or memory related resources, the incoming pod is
 * required to have those values set" (pods.go validationSet): no other resource is required.
 */
const VALIDATION_SET = new Set([
  'cpu',
  'memory',
  'requests.cpu',
  'requests.memory',
  'limits.cpu',
  'limits.memory',
]);

/** isExtendedResourceNameForQuota: `requests.<extended resource>`. */
const isExtendedForQuota = (name: string): boolean =>
  name.startsWith('requests.') && !isNative(name.slice('requests.'.length));

/** podComputeUsageHelper: what one container's (or the pod's) requests and limits charge. */
function computeUsage(requests: ResourceList, limits: ResourceList): Map<string, Quantity> {
  const out = new Map<string, Quantity>([['pods', count(1)]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [name, q] of requests) {
    if (name.startsWith('hugepages-')) {
      out.set(name, q);
      out.set(`requests.${name}`, q);
    }
    if (!isNative(name) && !name.startsWith('requests.')) out.set(`requests.${name}`, q);
  }
  return out;
}

/** IsTerminating: a pod with an active deadline ends by itself. */
export const isTerminating = (pod: Pod): boolean => (pod.spec?.activeDeadlineSeconds ?? -1) >= 0;

const isBestEffort = (pod: Pod): boolean => (pod.status?.qosClass ?? podQOSClass(pod)) === 'BestEffort';

const crossNamespaceTerm = (t: PodAffinityTerm): boolean =>
  (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined;
const crossNamespaceTerms = (
  req: readonly PodAffinityTerm[] | undefined,
  pref: readonly WeightedPodAffinityTerm[] | undefined,
): boolean =>
  (req ?? []).some(crossNamespaceTerm) || (pref ?? []).some((w) => crossNamespaceTerm(w.podAffinityTerm));

function usesCrossNamespacePodAffinity(pod: Pod): boolean {
  const a = pod.spec?.affinity;
  return (
    crossNamespaceTerms(
      a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    ) ||
    crossNamespaceTerms(
      a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
      a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
    )
  );
}

/** podMatchesSelector: the PriorityClass scope as a label requirement on {PriorityClass: name}. */
function priorityClassMatches(pod: Pod, s: ScopedResourceSelectorRequirement): boolean {
  const name = pod.spec?.priorityClassName ?? '';
  const values = s.values ?? [];
  switch (s.operator) {
    case 'Exists':
      return name !== '';
    case 'DoesNotExist':
      return name === '';
    case 'In':
      return name !== '' && values.includes(name);
    case 'NotIn':
      return name === '' || !values.includes(name);
    default:
      return false;
  }
}

/** podMatchesScopeFunc. */
function podMatchesScope(s: ScopedResourceSelectorRequirement, obj: KubeObject): boolean {
  const pod = obj as Pod;
  switch (s.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass':
      return priorityClassMatches(pod, s);
    case 'CrossNamespacePodAffinity':
      return usesCrossNamespacePodAffinity(pod);
    default:
      return false;
  }
}

/**
 * QuotaV1Pod: a pod in a terminal phase, or stuck terminating past its grace period, no longer
 * charges compute resources (its object count, count/pods, stays while it is stored).
 */
export function podCountsForQuota(pod: Pod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (deletion && grace !== undefined && now.getTime() > Date.parse(deletion) + grace * 1000) return false;
  return true;
}

const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  // In-place resize (the only pod update quota sees) is off by default in 1.32.
  handles: (r) => r.operation === 'CREATE' && r.subresource === '',
  matchingResources: (input) =>
    input.filter(
      (n) =>
        POD_RESOURCES.includes(n) ||
        n.startsWith('hugepages-') ||
        n.startsWith('requests.hugepages-') ||
        isExtendedForQuota(n),
    ),
  matchesScope: podMatchesScope,
  constraints: (required, obj) => {
    const pod = obj as Pod;
    const requiredSet = required.filter((r) => VALIDATION_SET.has(r));
    const missing = new Map<string, Set<string>>();
    for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
      const has = computeUsage(
        parseList(c.resources?.requests as Record<string, unknown> | undefined),
        parseList(c.resources?.limits as Record<string, unknown> | undefined),
      );
      for (const r of requiredSet) {
        if (has.has(r)) continue;
        const names = missing.get(r) ?? new Set<string>();
        names.add(c.name);
        missing.set(r, names);
      }
    }
    if (missing.size === 0) return undefined;
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
  usage: (obj, now) => {
    const pod = obj as Pod;
    const result = new Map<string, Quantity>([['count/pods', count(1)]]);
    if (!podCountsForQuota(pod, now)) return result;
    return add(
      result,
      computeUsage(podRequests(pod, { overhead: true }), podLimits(pod, { overhead: true })),
    );
  },
};

// ---- persistentvolumeclaims -----------------------------------------------------------------------

const PVC_RESOURCES = ['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage'];
/** V1ResourceByStorageClass: `<class>.storageclass.storage.k8s.io/<resource>`. */
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
export const resourceByStorageClass = (cls: string, resource: string): string =>
  `${cls}${STORAGE_CLASS_SUFFIX}${resource}`;

/**
 * pkg/quota/v1/evaluator/core/persistent_volume_claims.go: each claim counts once (also per class)
 * and requests its storage (also per class); creates and updates (expansion) are charged.
 */
const persistentVolumeClaimEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  handles: (r) => (r.operation === 'CREATE' || r.operation === 'UPDATE') && r.subresource === '',
  matchingResources: (input) =>
    input.filter(
      (n) =>
        PVC_RESOURCES.includes(n) ||
        (n.includes(STORAGE_CLASS_SUFFIX) &&
          (n.endsWith('/requests.storage') || n.endsWith('/persistentvolumeclaims'))),
    ),
  matchesScope: () => false,
  constraints: () => undefined,
  usage: (obj) => {
    const pvc = obj as PersistentVolumeClaim;
    const out = new Map<string, Quantity>([
      ['count/persistentvolumeclaims', count(1)],
      ['persistentvolumeclaims', count(1)],
    ]);
    const storage = parseList(pvc.spec?.resources?.requests as Record<string, unknown> | undefined).get(
      'storage',
    );
    if (storage) out.set('requests.storage', storage);
    const cls = claimClass(pvc);
    if (cls) {
      out.set(resourceByStorageClass(cls, 'persistentvolumeclaims'), count(1));
      if (storage) out.set(resourceByStorageClass(cls, 'requests.storage'), storage);
    }
    return out;
  },
};

/** The evaluator for a resource: pods, services and claims have their own, every other kind counts objects. */
export function evaluatorFor(group: string, resource: string): Evaluator {
  if (group === '' && resource === 'pods') return podEvaluator;
  if (group === '' && resource === 'services') return serviceEvaluator;
  if (group === '' && resource === 'persistentvolumeclaims') return persistentVolumeClaimEvaluator;
  return objectCountEvaluator(group, resource);
}
