/**
 * The Priority admission plugin, as plugin/pkg/admission/priority/admission.go (1.32):
 *   admit (pods, create): spec.priorityClassName resolves to the class's value and preemptionPolicy
 *     in spec.priority / spec.preemptionPolicy; a pod naming no class gets the globalDefault class
 *     (its name too), or priority 0 and PreemptLowerPriority when there is none. A pod that sets
 *     spec.priority or spec.preemptionPolicy itself to another value than the class gives is refused,
 *     as is a class that does not exist (`no PriorityClass with name x was found`).
 *   admit (pods, update): the priority and preemptionPolicy set at create are kept when an update
 *     leaves them out (validation refuses any change).
 *   validate (priorityclasses): only one class may be globalDefault.
 * Subresources are not admitted (pods/status, pods/binding keep what create set).
 */
import type { Pod } from 'kubernetes-types/core/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import { type AdmissionAttributes, type AdmissionPlugin, admissionForbidden } from './types.js';

/** scheduling.DefaultPriorityWhenNoDefaultClassExists. */
const DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS = 0;

const isPods = (a: AdmissionAttributes): boolean =>
  a.subresource === '' && a.resource.group === '' && a.resource.resource === 'pods';
const isPriorityClasses = (a: AdmissionAttributes): boolean =>
  a.subresource === '' &&
  a.resource.group === 'scheduling.k8s.io' &&
  a.resource.resource === 'priorityclasses';

const classesOf = (a: AdmissionAttributes): readonly PriorityClass[] =>
  a.context.list('priorityclasses', '') as unknown as readonly PriorityClass[];

/** getDefaultPriorityClass: of the globalDefault classes, the one with the smallest value. */
export function defaultPriorityClass(classes: readonly PriorityClass[]): PriorityClass | undefined {
  let found: PriorityClass | undefined;
  for (const pc of classes) {
    if (pc.globalDefault && (!found || pc.value < found.value)) found = pc;
  }
  return found;
}

function admitPod(a: AdmissionAttributes): void {
  const pod = a.object as Pod;
  const spec = pod.spec as NonNullable<Pod['spec']> & { priority?: number; preemptionPolicy?: string };
  if (a.operation === 'UPDATE') {
    const old = (a.oldObject as Pod | undefined)?.spec;
    if (spec.priority === undefined && old?.priority !== undefined) spec.priority = old.priority;
    if (spec.preemptionPolicy === undefined && old?.preemptionPolicy !== undefined)
      spec.preemptionPolicy = old.preemptionPolicy;
    return;
  }
  let priority: number;
  let preemptionPolicy: string | undefined;
  if (!spec.priorityClassName) {
    const dpc = defaultPriorityClass(classesOf(a));
    if (dpc) {
      spec.priorityClassName = dpc.metadata?.name ?? '';
      priority = dpc.value;
      preemptionPolicy = dpc.preemptionPolicy;
    } else {
      priority = DEFAULT_PRIORITY_WHEN_NO_DEFAULT_CLASS;
      preemptionPolicy = 'PreemptLowerPriority';
    }
    if (!spec.priorityClassName) delete spec.priorityClassName;
  } else {
    const pc = classesOf(a).find((c) => c.metadata?.name === spec.priorityClassName);
    if (!pc) throw admissionForbidden(a, `no PriorityClass with name ${spec.priorityClassName} was found`);
    priority = pc.value;
    preemptionPolicy = pc.preemptionPolicy;
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== priority) {
    throw admissionForbidden(
      a,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${priority} from the given PriorityClass name`,
    );
  }
  spec.priority = priority;
  if (preemptionPolicy !== undefined) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== preemptionPolicy) {
      throw admissionForbidden(
        a,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${preemptionPolicy} from the given PriorityClass name`,
      );
    }
    spec.preemptionPolicy = preemptionPolicy;
  }
}

function validatePriorityClass(a: AdmissionAttributes): void {
  const pc = a.object as unknown as PriorityClass;
  if (!pc.globalDefault) return;
  const dpc = defaultPriorityClass(classesOf(a));
  if (!dpc) return;
  if (a.operation === 'CREATE' || dpc.metadata?.name !== pc.metadata?.name) {
    throw admissionForbidden(
      a,
      `PriorityClass ${dpc.metadata?.name} is already marked as default. Only one default can exist`,
    );
  }
}

export const priority: AdmissionPlugin = {
  name: 'Priority',
  admit: (a) => {
    if (isPods(a)) admitPod(a);
  },
  validate: (a) => {
    if (isPriorityClasses(a)) validatePriorityClass(a);
  },
};
