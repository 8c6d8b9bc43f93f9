/**
 * What a DaemonSet pod is for a node, as upstream's pkg/controller/daemon/util/daemonset_util.go
 * and NodeShouldRunDaemonPod (daemon_controller.go):
 *  - the automatic tolerations every daemon pod carries (AddOrUpdateDaemonPodTolerations);
 *  - the pod template stamped with `pod-template-generation` and `controller-revision-hash`
 *    (CreatePodTemplate) and pinned to its node by node affinity on `metadata.name`
 *    (ReplaceDaemonSetPodNodeNameNodeAffinity), so the scheduler binds it there;
 *  - whether a node should run the pod, and whether a pod already there may keep running
 *    (nodeSelector / required node affinity, spec.nodeName, taints vs tolerations — the scheduler's
 *    own predicates from src/scheduler/fit.ts; resources are the scheduler's business, as upstream).
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type {
  Affinity,
  Node,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Taint,
  Toleration,
} from 'kubernetes-types/core/v1';
import { templateGenerationOf } from '../../api/registry/daemonsets/template-generation.js';
import { matchesNodeSelector, tolerates } from '../../scheduler/fit.js';

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
export const POD_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({
  key: `node.kubernetes.io/${key}`,
  operator: 'Exists',
  effect,
});

/** AddOrUpdateDaemonPodTolerations: in upstream's order; network-unavailable for hostNetwork pods. */
export function addDaemonPodTolerations(spec: PodSpec): void {
  const wanted = [
    exists('not-ready', 'NoExecute'),
    exists('unreachable', 'NoExecute'),
    exists('disk-pressure', 'NoSchedule'),
    exists('memory-pressure', 'NoSchedule'),
    exists('pid-pressure', 'NoSchedule'),
    exists('unschedulable', 'NoSchedule'),
  ];
  if (spec.hostNetwork) wanted.push(exists('network-unavailable', 'NoSchedule'));
  // AddOrUpdateTolerationInPodSpec: an existing toleration with the same key, operator, value and
  // effect is replaced in place, others are appended.
  const list = [...(spec.tolerations ?? [])];
  for (const t of wanted) {
    const i = list.findIndex(
      (o) => o.key === t.key && (o.operator ?? 'Equal') === t.operator && !o.value && o.effect === t.effect,
    );
    if (i >= 0) list[i] = t;
    else list.push(t);
  }
  spec.tolerations = list;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: required node affinity on exactly this node's name. */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out: Affinity = affinity ?? {};
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  return out;
}

/** CreatePodTemplate: the template with the daemon tolerations and the generation and hash labels. */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? {});
  template.spec ??= { containers: [] };
  addDaemonPodTolerations(template.spec);
  template.metadata ??= {};
  const labels: Record<string, string> = { ...template.metadata.labels };
  labels[POD_TEMPLATE_GENERATION_LABEL] = String(templateGenerationOf(ds) ?? '');
  if (hash) labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  template.metadata.labels = labels;
  return template;
}

/** IsPodUpdated: the pod carries the current revision hash, or the current template generation. */
export function isPodUpdated(pod: Pod, hash: string, ds: DaemonSet): boolean {
  const labels = pod.metadata?.labels ?? {};
  const generation = templateGenerationOf(ds);
  const templateMatches =
    generation !== undefined && labels[POD_TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash.length > 0 && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || templateMatches;
}

/**
 * GetTargetNodeName: spec.nodeName once bound, else the node the affinity pins it to (the single
 * value of a `metadata.name In` matchFields requirement); undefined when neither says.
 */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length !== 1) return undefined;
  const fields = terms[0]!.matchFields ?? [];
  for (const r of fields) {
    if (r.key === 'metadata.name' && r.operator === 'In' && r.values?.length === 1) return r.values[0];
  }
  return undefined;
}

export interface ShouldRun {
  /** A daemon pod should be created on the node if none is there. */
  shouldRun: boolean;
  /** A daemon pod already on the node may stay. */
  shouldContinueRunning: boolean;
}

const untolerated = (
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: readonly string[],
) => taints.some((t) => effects.includes(t.effect) && !tolerates(tolerations, t));

/** NodeShouldRunDaemonPod, with its predicates (node name, node affinity, NoSchedule/NoExecute taints). */
export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): ShouldRun {
  const nodeName = node.metadata?.name ?? '';
  const spec = structuredClone(ds.spec?.template?.spec ?? { containers: [] });
  if (spec.nodeName && spec.nodeName !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  addDaemonPodTolerations(spec);
  const pod: Pod = { metadata: ds.spec?.template?.metadata ?? {}, spec: { ...spec, nodeName } };
  if (!matchesNodeSelector(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const tolerations = spec.tolerations ?? [];
  if (untolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    // Pods already there keep running unless a NoExecute taint evicts them.
    return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}
