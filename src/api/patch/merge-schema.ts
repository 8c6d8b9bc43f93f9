/**
 * Merge schema: how each field of each kind podbay serves is merged, as DATA. It is the single
 * source for both strategic merge patch (Go struct tags `patchStrategy` / `patchMergeKey`) and
 * server-side apply (`+listType`, `+listMapKey`, `+mapType=atomic`, `+structType=atomic`).
 * Taken from k8s.io/api v0.32 (core/v1, apps/v1, autoscaling/v1, batch/v1) and apimachinery meta/v1.
 *
 * Paths are dotted field names from the object root; `[]` steps into a list's items:
 * `spec.template.spec.containers[].ports`. A field with no row is: for SMP, a map merged
 * recursively or a list replaced wholesale; for SSA, a struct tracked per field or an atomic list.
 */

export type ListType = 'atomic' | 'set' | 'map';

export interface FieldRule {
  /** SMP `patchStrategy:"merge"`: lists of maps merge by `mergeKey`, lists of scalars as sets. */
  readonly strategy?: 'merge';
  /** SMP `patchMergeKey`. */
  readonly mergeKey?: string;
  /** SMP `patchStrategy:"retainKeys"`: kubectl sends `$retainKeys` for this field. */
  readonly retainKeys?: boolean;
  /** SSA `+listType` (lists with no row are atomic). */
  readonly listType?: ListType;
  /** SSA `+listMapKey`s, in declaration order, for `listType: 'map'`. */
  readonly listMapKeys?: readonly string[];
  /** SSA: values used for list map keys an item omits (`+default` of the key field). */
  readonly listMapKeyDefaults?: Readonly<Record<string, unknown>>;
  /** SSA `+mapType=atomic` / `+structType=atomic`: the whole value is one owned leaf. */
  readonly atomic?: boolean;
}

export type SchemaTable = Readonly<Record<string, FieldRule>>;

export interface KindRef {
  group: string;
  kind: string;
}

/** Path of field `key` under `parent` ('' is the root). */
export const childPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);
/** Path of the items of the list at `listPath`. */
export const itemPath = (listPath: string): string => `${listPath}[]`;

const mergeList = (key: string, mapKeys: readonly string[] = [key]): FieldRule => ({
  strategy: 'merge',
  mergeKey: key,
  listType: 'map',
  listMapKeys: mapKeys,
});
/** ContainerPort and ServicePort: `protocol` is a list map key with `+default="TCP"`. */
const portList = (key: string): FieldRule => ({
  ...mergeList(key, [key, 'protocol']),
  listMapKeyDefaults: { protocol: 'TCP' },
});
const ATOMIC: FieldRule = { atomic: true };
const CONDITIONS = mergeList('type');

/** Prefixes every path of `table` with `prefix.`, to nest a shared subtree (PodSpec, ObjectMeta). */
function under(prefix: string, table: SchemaTable): SchemaTable {
  return Object.fromEntries(Object.entries(table).map(([path, rule]) => [childPath(prefix, path), rule]));
}

/** ObjectMeta (apimachinery meta/v1 types.go). */
const OBJECT_META: SchemaTable = {
  ownerReferences: mergeList('uid'),
  finalizers: { strategy: 'merge', listType: 'set' },
  managedFields: { listType: 'atomic' },
};

/** Container and EphemeralContainerCommon share these tags. */
const CONTAINER: SchemaTable = {
  ports: portList('containerPort'),
  env: mergeList('name'),
  'env[].valueFrom': ATOMIC,
  volumeMounts: mergeList('mountPath'),
  volumeDevices: mergeList('devicePath'),
  'resources.claims': { listType: 'map', listMapKeys: ['name'] },
};

const POD_SPEC: SchemaTable = {
  volumes: { ...mergeList('name'), retainKeys: true },
  containers: mergeList('name'),
  ...under('containers[]', CONTAINER),
  initContainers: mergeList('name'),
  ...under('initContainers[]', CONTAINER),
  ephemeralContainers: mergeList('name'),
  ...under('ephemeralContainers[]', CONTAINER),
  imagePullSecrets: mergeList('name'),
  hostAliases: mergeList('ip'),
  topologySpreadConstraints: mergeList('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
  schedulingGates: mergeList('name'),
  resourceClaims: { ...mergeList('name'), retainKeys: true },
  nodeSelector: ATOMIC,
  'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution': ATOMIC,
};

const POD_STATUS: SchemaTable = {
  conditions: CONDITIONS,
  podIPs: mergeList('ip'),
  hostIPs: { strategy: 'merge', mergeKey: 'ip', listType: 'atomic' },
  resourceClaimStatuses: { ...mergeList('name'), retainKeys: true },
};

/** PodTemplateSpec: what Deployment, ReplicaSet and DaemonSet embed as spec.template. */
const POD_TEMPLATE_SPEC: SchemaTable = { ...under('metadata', OBJECT_META), ...under('spec', POD_SPEC) };

const WORKLOAD_COMMON: SchemaTable = {
  'spec.selector': ATOMIC,
  ...under('spec.template', POD_TEMPLATE_SPEC),
  'status.conditions': CONDITIONS,
};

/** JobSpec (batch/v1 types.go): podFailurePolicy and successPolicy rules are +listType=atomic (no row). */
const JOB_SPEC: SchemaTable = { selector: ATOMIC, ...under('template', POD_TEMPLATE_SPEC) };

/** Per kind, without ObjectMeta (added to every kind below). Keyed `group/Kind`, core group ''. */
const KIND_TABLES: Readonly<Record<string, SchemaTable>> = {
  '/Pod': { ...under('spec', POD_SPEC), ...under('status', POD_STATUS) },
  'apps/Deployment': { ...WORKLOAD_COMMON, 'spec.strategy': { retainKeys: true } },
  'apps/ReplicaSet': WORKLOAD_COMMON,
  // DaemonSetSpec.updateStrategy has no patchStrategy (unlike Deployment's strategy).
  'apps/DaemonSet': WORKLOAD_COMMON,
  'apps/StatefulSet': WORKLOAD_COMMON,
  'apps/ControllerRevision': {},
  'batch/Job': {
    ...under('spec', JOB_SPEC),
    // patchStrategy merge by type for SMP, but +listType=atomic for SSA.
    'status.conditions': { strategy: 'merge', mergeKey: 'type', listType: 'atomic' },
    'status.uncountedTerminatedPods.succeeded': { listType: 'set' },
    'status.uncountedTerminatedPods.failed': { listType: 'set' },
  },
  'batch/CronJob': {
    ...under('spec.jobTemplate.metadata', OBJECT_META),
    ...under('spec.jobTemplate.spec', JOB_SPEC),
  },
  // Kinds whose lists are all atomic (no patchStrategy, +listType=atomic): ObjectMeta rules only.
  'coordination.k8s.io/Lease': {},
  'discovery.k8s.io/EndpointSlice': {},
  'networking.k8s.io/Ingress': {},
  'networking.k8s.io/IngressClass': {},
  // CRD lists carry no patchStrategy (versions, names.shortNames, conditions are replaced whole).
  'apiextensions.k8s.io/CustomResourceDefinition': {},
  '/LimitRange': {},
  '/ResourceQuota': {},
  'rbac.authorization.k8s.io/Role': {},
  'rbac.authorization.k8s.io/ClusterRole': {},
  'rbac.authorization.k8s.io/RoleBinding': {},
  'rbac.authorization.k8s.io/ClusterRoleBinding': {},
  '/Service': {
    'spec.ports': portList('port'),
    'spec.selector': ATOMIC,
    'status.conditions': CONDITIONS,
  },
  '/ConfigMap': {},
  '/Secret': {},
  '/Namespace': { 'status.conditions': CONDITIONS },
  '/Node': {
    'spec.podCIDRs': { strategy: 'merge', listType: 'set' },
    'status.conditions': CONDITIONS,
    'status.addresses': mergeList('type'),
  },
  // EndpointSubset is +structType=atomic and Endpoints.subsets has no patchStrategy: replaced.
  '/Endpoints': {},
  '/Event': { involvedObject: ATOMIC, related: ATOMIC },
  '/ServiceAccount': { secrets: mergeList('name') },
  'autoscaling/Scale': {},
  // autoscaling/v2 (the stored version): metrics, currentMetrics and policies are +listType=atomic.
  'autoscaling/HorizontalPodAutoscaler': { 'status.conditions': CONDITIONS },
  'networking.k8s.io/NetworkPolicy': {},
  // policy/v1: the selector is +patchStrategy=replace (LabelSelector is atomic), conditions merge by type.
  'policy/PodDisruptionBudget': { 'spec.selector': ATOMIC, 'status.conditions': CONDITIONS },
  'scheduling.k8s.io/PriorityClass': {},
  // PersistentVolumeSpec lists are +listType=atomic (no patchStrategy); claimRef is granular.
  '/PersistentVolume': {},
  '/PersistentVolumeClaim': { 'status.conditions': CONDITIONS },
  'storage.k8s.io/StorageClass': {},
};

const kindKey = (k: KindRef): string => `${k.group}/${k.kind}`;

const TABLES: ReadonlyMap<string, SchemaTable> = new Map(
  Object.entries(KIND_TABLES).map(([key, table]) => [key, { ...under('metadata', OBJECT_META), ...table }]),
);
const OBJECT_META_ONLY: SchemaTable = under('metadata', OBJECT_META);

export interface MergeSchema {
  /** True when the kind has a table; unknown kinds get ObjectMeta rules only. */
  readonly known: boolean;
  /** The rule for the field at `path`, if any. */
  rule(path: string): FieldRule | undefined;
}

export function schemaFor(kind: KindRef): MergeSchema {
  const table = TABLES.get(kindKey(kind));
  const rows = table ?? OBJECT_META_ONLY;
  return {
    known: table !== undefined,
    rule: (path) => (Object.hasOwn(rows, path) ? rows[path] : undefined),
  };
}

/**
 * Non-pointer struct fields of each kind: upstream's empty object has them (as `{}`), so a
 * create does not record them as added maps (no `.` in FieldsV1). Used by managed-fields
 * tracking for the "before" side of a create.
 */
const TEMPLATE_STRUCTS = ['spec.template', 'spec.template.metadata', 'spec.template.spec'];
const ZERO_VALUE_STRUCTS: Readonly<Record<string, readonly string[]>> = {
  '/Pod': ['spec', 'status'],
  'apps/Deployment': ['spec', ...TEMPLATE_STRUCTS, 'spec.strategy', 'status'],
  'apps/ReplicaSet': ['spec', ...TEMPLATE_STRUCTS, 'status'],
  'apps/DaemonSet': ['spec', ...TEMPLATE_STRUCTS, 'spec.updateStrategy', 'status'],
  'apps/StatefulSet': ['spec', ...TEMPLATE_STRUCTS, 'spec.updateStrategy', 'status'],
  'batch/Job': ['spec', ...TEMPLATE_STRUCTS, 'status'],
  'batch/CronJob': [
    'spec',
    'spec.jobTemplate',
    'spec.jobTemplate.metadata',
    'spec.jobTemplate.spec',
    ...TEMPLATE_STRUCTS.map((p) => p.replace('spec.', 'spec.jobTemplate.spec.')),
    'status',
  ],
  '/Service': ['spec', 'status', 'status.loadBalancer'],
  '/Namespace': ['spec', 'status'],
  '/Node': [
    'spec',
    'status',
    'status.daemonEndpoints',
    'status.daemonEndpoints.kubeletEndpoint',
    'status.nodeInfo',
  ],
  '/Event': ['involvedObject', 'source'],
  'autoscaling/Scale': ['spec', 'status'],
  'autoscaling/HorizontalPodAutoscaler': ['spec', 'spec.scaleTargetRef', 'status'],
  'policy/PodDisruptionBudget': ['spec', 'status'],
  '/PersistentVolume': ['spec', 'status'],
  '/PersistentVolumeClaim': ['spec', 'spec.resources', 'status'],
};

export const zeroValueStructs = (kind: KindRef): readonly string[] => ZERO_VALUE_STRUCTS[kindKey(kind)] ?? [];

/** The kinds with a table, as `group/Kind` (for tests and diagnostics). */
export const knownKinds = (): string[] => [...TABLES.keys()];
