/**
 * Matching a failed pod against a Job's podFailurePolicy, as upstream's
 * pkg/controller/job/pod_failure_policy.go (1.32, JobBackoffLimitPerIndex on): the rules are
 * tried in order and the first that matches decides: FailJob fails the Job with a message
 * naming the pod, Ignore keeps the failure out of backoffLimit (and of the index's failure
 * count), FailIndex fails the pod's index (backoffLimitPerIndex), Count counts it as usual.
 */
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from 'kubernetes-types/batch/v1';
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import { isPodFailed, type JobObj, type PodObj } from './pods.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** The Job failure message, when a FailJob rule matched. */
  failJobMessage?: string;
  /** Whether the failure counts toward backoffLimit (false only for Ignore). */
  countFailed: boolean;
  /** The action of the matching rule, if one matched. */
  action?: PodFailurePolicyAction;
}

const NO_MATCH: PodFailurePolicyMatch = { countFailed: true };

/** matchPodFailurePolicy: the first rule matching `pod` (expected to have failed), in order. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return NO_MATCH;
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  for (const [i, rule] of (policy.rules ?? []).entries()) {
    const action = rule.action as PodFailurePolicyAction;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const status = matchOnExitCodes(pod, rule.onExitCodes);
      if (!status) continue;
      failJobMessage = `Container ${status.name} for pod ${ns}/${name} failed with exit code ${status.state!.terminated!.exitCode} matching ${action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const condition = matchOnPodConditions(pod, rule);
      if (!condition) continue;
      failJobMessage = `Pod ${ns}/${name} has condition ${condition.type} matching ${action} rule at index ${i}`;
    } else continue;
    switch (action) {
      case 'Ignore':
        return { countFailed: false, action };
      case 'FailIndex':
        return { countFailed: true, action };
      case 'Count':
        return { countFailed: true, action };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action };
      default:
        // An action this version does not know: upstream's switch falls through to the next rule.
        continue;
    }
  }
  return NO_MATCH;
}

/** matchOnExitCodes: the regular containers first, then the init containers. */
function matchOnExitCodes(
  pod: Pod,
  req: PodFailurePolicyOnExitCodesRequirement,
): ContainerStatus | undefined {
  return (
    matchingContainer(pod.status?.containerStatuses, req) ??
    matchingContainer(pod.status?.initContainerStatuses, req)
  );
}

/**
 * getMatchingContainerFromList: the first terminated container (of the named one, if any)
 * with a non-zero exit code the operator accepts.
 */
function matchingContainer(
  statuses: readonly ContainerStatus[] | undefined,
  req: PodFailurePolicyOnExitCodesRequirement,
): ContainerStatus | undefined {
  for (const s of statuses ?? []) {
    const terminated = s.state?.terminated;
    if (!terminated) continue; // still terminating: no exit code to match
    if (req.containerName && req.containerName !== s.name) continue;
    if (terminated.exitCode === 0) continue;
    const listed = (req.values ?? []).includes(terminated.exitCode);
    if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return s;
  }
  return undefined;
}

/** matchOnPodConditions: the first pod condition some pattern names with the same status. */
function matchOnPodConditions(
  pod: Pod,
  rule: NonNullable<PodFailurePolicy['rules']>[number],
): PodCondition | undefined {
  for (const c of pod.status?.conditions ?? [])
    for (const p of rule.onPodConditions ?? []) if (c.type === p.type && c.status === p.status) return c;
  return undefined;
}

/** getFailJobMessage: the message of the first failed pod that matches a FailJob rule. */
export function failJobMessage(job: JobObj, pods: readonly PodObj[]): string | undefined {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(policy, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}
