/**
 * What one deployment sync works with: the client, the event recorder, the sync's notion of
 * now, and the deployment itself, kept current after each write so later writes in the same
 * sync carry the latest resourceVersion.
 */
import type { EventRecorder, ObjectClient } from '../client.js';
import type { Dep } from './replica-sets.js';

export const COMPONENT = { component: 'deployment-controller' };

export interface SyncContext {
  readonly client: ObjectClient;
  readonly events: EventRecorder;
  readonly now: Date;
  d: Dep;
  /** Ask for another sync of this deployment after `ms`. */
  requeueAfter(ms: number): void;
}

/**
 * Persists the deployment's revision annotation (metadata, through update) and then its
 * status (through updateStatus). Upstream writes both with one UpdateStatus because its
 * deployment status strategy keeps annotations; our client's updateStatus writes only status.
 */
export function persistDeployment(ctx: SyncContext, what: { annotations?: boolean; status?: boolean }): void {
  const status = ctx.d.status;
  if (what.annotations) {
    const updated = ctx.client.update<Dep>('deployments', ctx.d);
    ctx.d = { ...updated, status };
  }
  if (what.status) ctx.d = ctx.client.updateStatus<Dep>('deployments', ctx.d);
}
