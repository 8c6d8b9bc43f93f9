/**
 * Defaulting of a PodSpec wherever it appears (pods and workload templates), as upstream's
 * SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe, SetDefaults_Volume and the
 * declarative `+default` tags of core/v1. Pod-only defaults (requests from limits,
 * enableServiceLinks, admission plugins) live in registry/pods/defaults.ts.
 *
 * Lives here, not under registry/pods, because pods, deployments and replicasets share it.
 * Every function mutates its argument and is idempotent (safe to run on an already defaulted spec).
 */

import type {
  Container,
  HTTPGetAction,
  Lifecycle,
  PodSpec,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Volume,
} from 'kubernetes-types/core/v1';
import { formatQuantity, roundUpQuantity, tryParseQuantity } from '../quantity.js';
import { VOLUME_SOURCES } from './volumes.js';

const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
/** 0644: the file mode configMap, secret, downwardAPI and projected volumes default to. */
const DEFAULT_VOLUME_MODE = 0o644;
const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

/**
 * The tag kubelet would pull, as upstream's parsers.ParseImageName sees it: `latest` when the
 * reference names neither tag nor digest, '' when it is a digest or cannot be parsed.
 */
export function imageTag(image: string): string {
  if (!image || image.trim() !== image) return '';
  const [name, digest] = image.split('@', 2) as [string, string | undefined];
  const lastSlash = name.lastIndexOf('/');
  const lastPart = name.slice(lastSlash + 1);
  const colon = lastPart.indexOf(':');
  const repository = colon < 0 ? name : name.slice(0, lastSlash + 1 + colon);
  const path = lastSlash < 0 ? repository : repository.slice(repository.indexOf('/') + 1);
  // Repository paths are lower case; an invalid reference yields no tag (IfNotPresent).
  if (path !== path.toLowerCase() || repository === '') return '';
  if (colon >= 0) return lastPart.slice(colon + 1);
  return digest === undefined ? 'latest' : '';
}

/**
 * Normalises every quantity in a resource list as upstream's decoder and SetDefaults_ResourceList
 * do: canonical form, rounded up to the milli. Unparseable values are left for validation.
 */
export function defaultResourceList(list: Record<string, unknown> | undefined): void {
  if (!list) return;
  for (const [name, raw] of Object.entries(list)) {
    const q = tryParseQuantity(raw);
    if (!(q instanceof Error)) list[name] = formatQuantity(roundUpQuantity(q, -3));
  }
}

function defaultHTTPGet(get: HTTPGetAction | undefined): void {
  if (!get) return;
  get.path ||= '/';
  get.scheme ||= 'HTTP';
}

export function defaultProbe(probe: Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ||= 1;
  probe.periodSeconds ||= 10;
  probe.successThreshold ||= 1;
  probe.failureThreshold ||= 3;
  defaultHTTPGet(probe.httpGet);
  // GRPCAction.service carries `+default=""`, so the server always writes it out.
  if (probe.grpc) probe.grpc.service ??= '';
}

function defaultLifecycle(lifecycle: Lifecycle | undefined): void {
  defaultHTTPGet(lifecycle?.postStart?.httpGet);
  defaultHTTPGet(lifecycle?.preStop?.httpGet);
}

export function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy)
    c.imagePullPolicy = imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // resources is a struct, not a pointer, upstream: it is always served, as `resources: {}` when empty.
  c.resources ??= {};
  const res: ResourceRequirements = c.resources;
  defaultResourceList(res.limits as Record<string, unknown> | undefined);
  defaultResourceList(res.requests as Record<string, unknown> | undefined);
  for (const port of c.ports ?? []) port.protocol ||= 'TCP';
  for (const env of c.env ?? []) {
    const ref = env.valueFrom?.fieldRef;
    if (ref) ref.apiVersion ||= 'v1';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycle(c.lifecycle);
}

const VOLUME_SOURCE_KEYS: ReadonlySet<string> = new Set(VOLUME_SOURCES);

export function defaultVolume(v: Volume): void {
  const hasSource = Object.keys(v).some((k) => VOLUME_SOURCE_KEYS.has(k) && v[k as keyof Volume] != null);
  if (!hasSource) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_VOLUME_MODE;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= DEFAULT_VOLUME_MODE;
    for (const source of v.projected.sources ?? []) {
      if (source.serviceAccountToken)
        source.serviceAccountToken.expirationSeconds ??= DEFAULT_TOKEN_EXPIRATION_SECONDS;
      for (const item of source.downwardAPI?.items ?? [])
        if (item.fieldRef) item.fieldRef.apiVersion ||= 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.emptyDir?.sizeLimit !== undefined) {
    const q = tryParseQuantity(v.emptyDir.sizeLimit);
    if (!(q instanceof Error)) v.emptyDir.sizeLimit = formatQuantity(q);
  }
}

/** SetDefaults_PodSpec plus the defaults of everything a PodSpec contains. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.securityContext ??= {};
  spec.terminationGracePeriodSeconds ??= DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  spec.schedulerName ||= 'default-scheduler';
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/**
 * A workload's pod template. `metadata.creationTimestamp: null` is what a 1.32 server writes
 * for a template (metav1.Time is a struct there), so `kubectl get -o yaml` shows it.
 */
export function defaultPodTemplateSpec(template: PodTemplateSpec | undefined): void {
  if (!template) return;
  template.metadata ??= {};
  if (template.metadata.creationTimestamp === undefined) {
    (template.metadata as { creationTimestamp: string | null }).creationTimestamp = null;
  }
  template.spec ??= { containers: [] };
  defaultPodSpec(template.spec);
}
