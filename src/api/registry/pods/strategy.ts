/**
 * Pods. Status is the kubelet's (through pods/status); a new pod starts Pending with its QoS
 * class. Deletion is graceful once a pod is bound to the node: deletionTimestamp is set and
 * the kubelet removes the pod after its containers stopped; an unbound or finished pod goes at once.
 */
import type { Pod } from 'kubernetes-types/core/v1';
import { defineStrategy, resourceInfo } from '../define.js';
import { defaultPod } from './defaults.js';
import { podQOSClass } from './qos.js';
import { addServiceAccountTokenVolume, type ServiceAccountLookup } from './service-account-volume.js';
import { podTable } from './table.js';
import { validatePod, validatePodCreate, validatePodUpdate } from './validation.js';

export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

/** `serviceAccounts` reads a pod's ServiceAccount for the token volume's automount decision. */
export const podStrategy = (serviceAccounts: ServiceAccountLookup) =>
  defineStrategy<Pod>({
    info: resourceInfo({
      resource: 'pods',
      kind: 'Pod',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
    }),
    hasStatus: true,
    table: podTable,
    prepareForCreate: (pod) => {
      addServiceAccountTokenVolume(pod, serviceAccounts);
      pod.status = { phase: 'Pending' };
    },
    // The QoS class is read from the admitted pod: LimitRanger may have defaulted its resources.
    afterAdmission: (pod) => {
      pod.status = { ...pod.status, qosClass: podQOSClass(pod) };
    },
    defaults: (pod) => defaultPod(pod),
    validate: (pod) => validatePod(pod),
    validateCreate: (pod) => validatePodCreate(pod),
    validateUpdate: (pod, old) => validatePodUpdate(pod, old),
    gracePeriod: (pod, requested) => {
      if (!pod.spec?.nodeName) return 0;
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      const g =
        requested ?? pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
      // Upstream turns a negative request into 1 s; 0 (kubectl --force) deletes at once.
      return g < 0 ? 1 : g;
    },
  });
