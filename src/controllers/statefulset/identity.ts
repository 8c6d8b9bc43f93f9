/**
 * A StatefulSet pod's stable identity, as upstream's stateful_set_utils.go: the name
 * `<set>-<ordinal>`, the `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`
 * labels, hostname = name and subdomain = spec.serviceName (so the headless Service gives each pod
 * the DNS name `<pod>.<service>`), and the revision it runs in its `controller-revision-hash` label.
 */
import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../daemonset/daemon-pods.js';
import type { Revision } from '../daemonset/history.js';
import { podFromTemplate } from '../replicaset/pod-template.js';
import { withClaimVolumes } from './claims.js';

export type STS = StatefulSet & KubeObject;
export type PodObj = Pod & KubeObject;

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const PARENT_AND_ORDINAL = /^(.*)-([0-9]+)$/;

/** getParentNameAndOrdinal: -1 when the name has no ordinal. */
export function ordinalOf(pod: Pod): { parent: string; ordinal: number } {
  const m = PARENT_AND_ORDINAL.exec(pod.metadata?.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return { parent: m[1]!, ordinal: Number.isSafeInteger(ordinal) ? ordinal : -1 };
}

/** isMemberOf: the pod's name says it belongs to this set. */
export const isMemberOf = (sts: StatefulSet, pod: Pod): boolean =>
  ordinalOf(pod).parent === sts.metadata?.name;

export const startOrdinal = (sts: StatefulSet): number => sts.spec?.ordinals?.start ?? 0;
export const podName = (sts: StatefulSet, ordinal: number): string => `${sts.metadata?.name}-${ordinal}`;
export const podRevision = (pod: Pod): string => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

/** ApplyRevision: the template a revision recorded (its data minus the `$patch` directive). */
export function templateOf(rev: Revision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined;
  const { $patch: _, ...template } = structuredClone(data?.spec?.template ?? {});
  return template;
}

/** newStatefulSetPod + setPodRevision: the pod of that ordinal, from the revision's template. */
export function newStatefulSetPod(sts: STS, rev: Revision, ordinal: number): PodObj {
  const pod = podFromTemplate({ ...sts, spec: { ...sts.spec!, template: templateOf(rev) } });
  delete pod.metadata.generateName;
  pod.metadata.name = podName(sts, ordinal);
  pod.metadata.labels = {
    ...pod.metadata.labels,
    [POD_NAME_LABEL]: pod.metadata.name,
    [POD_INDEX_LABEL]: String(ordinal),
    [CONTROLLER_REVISION_HASH_LABEL]: rev.metadata.name!,
  };
  pod.spec!.hostname = pod.metadata.name;
  if (sts.spec?.serviceName) pod.spec!.subdomain = sts.spec.serviceName;
  if (sts.spec?.volumeClaimTemplates?.length)
    pod.spec!.volumes = withClaimVolumes(sts, ordinal, pod.spec!.volumes);
  return pod;
}

/** identityMatches: name, labels, hostname and subdomain as the set would give them. */
export function identityMatches(sts: STS, pod: Pod): boolean {
  const { parent, ordinal } = ordinalOf(pod);
  return (
    parent === sts.metadata.name &&
    pod.metadata?.labels?.[POD_NAME_LABEL] === pod.metadata?.name &&
    pod.metadata?.labels?.[POD_INDEX_LABEL] === String(ordinal) &&
    pod.spec?.hostname === pod.metadata?.name &&
    (pod.spec?.subdomain ?? '') === (sts.spec?.serviceName ?? '')
  );
}
