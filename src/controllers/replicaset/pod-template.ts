/** The pod a ReplicaSet creates from its template, as upstream's controller.GetPodFromTemplate. */
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types.js';
import { newControllerRef } from '../util/owners.js';
import type { RS } from './status.js';

export function podFromTemplate(rs: RS): Pod & KubeObject {
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
