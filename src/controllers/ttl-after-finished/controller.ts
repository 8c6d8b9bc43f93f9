/**
 * The TTL-after-finished controller, as kube-controller-manager's ttlafterfinished: a Job with
 * spec.ttlSecondsAfterFinished is deleted (propagationPolicy Foreground, so its pods go first)
 * that many seconds after it finished, measured from its Complete / Failed condition's
 * lastTransitionTime. A Job not yet due is requeued for the moment it is. Before deleting, the
 * Job is read again and re-checked, so a TTL changed meanwhile is honoured.
 */
import type { Job } from 'kubernetes-types/batch/v1';
import type { KubeObject } from '../../api/types.js';
import type { ControllerDeps } from '../client.js';
import { QueueController, type QueueControllerOptions, type WatchSpec } from '../runtime/queue-controller.js';
import { splitKey } from '../runtime/work-queue.js';
import { keyOf } from '../util/owners.js';

type JobObj = Job & KubeObject;

/** When the Job finished (ms), or undefined while it runs. */
export function jobFinishTimeMs(job: Job): number | undefined {
  const c = job.status?.conditions?.find(
    (x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True',
  );
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

/** Milliseconds until the Job expires (≤ 0: expired), or undefined when it has no TTL to apply. */
export function timeLeftMs(job: Job, nowMs: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || job.metadata?.deletionTimestamp) return undefined;
  const finished = jobFinishTimeMs(job);
  if (finished === undefined) return undefined;
  return finished + ttl * 1000 - nowMs;
}

export class TTLAfterFinishedController extends QueueController {
  readonly name = 'ttl-after-finished';

  constructor(deps: ControllerDeps, options: QueueControllerOptions = {}) {
    super(deps, options);
  }

  protected watches(): readonly WatchSpec[] {
    return [
      {
        resource: 'jobs',
        keysFor: (ev) =>
          ev.type !== 'DELETED' && timeLeftMs(ev.object as JobObj, 0) !== undefined ? [keyOf(ev.object)] : [],
      },
    ];
  }

  protected allKeys(): readonly string[] {
    return this.deps.client
      .list<JobObj>('jobs')
      .filter((j) => timeLeftMs(j, 0) !== undefined)
      .map(keyOf);
  }

  protected sync(key: string): void {
    const [namespace, name] = splitKey(key);
    const { client, clock } = this.deps;
    const job = client.get<JobObj>('jobs', namespace, name);
    if (!job) return;
    const left = timeLeftMs(job, clock.now().getTime());
    if (left === undefined) return;
    if (left > 0) {
      this.queue.addAfter(key, left);
      return;
    }
    try {
      client.delete('jobs', namespace, name, {
        propagationPolicy: 'Foreground',
        preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion },
      });
      this.deps.log('ttl-after-finished: deleted expired job', { job: key });
    } catch (e) {
      const code = (e as { code?: number }).code;
      if (code === 404) return;
      throw e;
    }
  }
}
