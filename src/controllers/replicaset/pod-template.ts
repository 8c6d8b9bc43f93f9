/** The pod a ReplicaSet creates from its template, as upstream's controller.GetPodFromTemplate. */
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { newControllerRef } from '../util/owners.js';

/** An owner with a pod template (ReplicaSet, DaemonSet). */
type TemplateOwner = KubeObject & { spec?: { template?: PodTemplateSpec } };

export function podFromTemplate(rs: TemplateOwner): Pod & KubeObject {
  const tpl = rs.spec?.template ?? {};
  const meta = tpl.metadata ?? {};
  const pod: Pod & KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      // generateName `<rs>-`: the API appends five random characters.
      generateName: `${rs.metadata.name}-`,
      namespace: rs.metadata.namespace,
      ownerReferences: [newControllerRef(rs)],
    },
    spec: structuredClone(tpl.spec ?? { containers: [] }),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  return pod;
}
