/**
 * The few server-side defaults the controllers rely on, applied by the fake client on create
 * (the real registry applies upstream's full defaulting). Kept minimal on purpose: tests that
 * need a field state it.
 */
import type { DaemonSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { defaultDaemonSet } from '../../api/registry/daemonsets/defaults.js';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../api/registry/daemonsets/template-generation.js';
import { defaultStatefulSet } from '../../api/registry/statefulsets/defaults.js';
import type { KubeObject } from '../../api/types.js';

type Obj = Record<string, unknown>;
const obj = (o: Obj, k: string): Obj => {
  if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
  return o[k] as Obj;
};

export function applyTestDefaults(resource: string, o: KubeObject): void {
  switch (resource) {
    case 'namespaces': {
      const spec = obj(o, 'spec');
      spec.finalizers ??= ['kubernetes'];
      obj(o, 'status').phase ??= 'Active';
      break;
    }
    case 'pods':
      obj(o, 'status').phase ??= 'Pending';
      break;
    case 'deployments': {
      const spec = obj(o, 'spec');
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const strategy = obj(spec, 'strategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const ru = obj(strategy, 'rollingUpdate');
        ru.maxSurge ??= '25%';
        ru.maxUnavailable ??= '25%';
      }
      break;
    }
    case 'replicasets':
      obj(o, 'spec').replicas ??= 1;
      break;
    case 'statefulsets':
      defaultStatefulSet(o as StatefulSet);
      break;
    case 'daemonsets': {
      // The real strategy's defaults and template-generation annotation (1 on create).
      const ds = o as DaemonSet;
      defaultDaemonSet(ds);
      ds.metadata!.annotations = { [TEMPLATE_GENERATION_ANNOTATION]: '1', ...ds.metadata!.annotations };
      break;
    }
  }
}
