/**
 * Records core/v1 Events as client-go's EventRecorder + correlator do: an event identical to a
 * recent one (same object, reason, message, source) increments `count` and moves
 * `lastTimestamp` instead of adding a row, so a crash-looping pod shows `x12 over 5m`.
 * Events are named `<object>.<hex nanoseconds>` and expire after the TTL (upstream's
 * --event-ttl default, 1 h), swept by `sweep()`.
 *
 * An event about a part of an object (kubelet's events about one container) names it in
 * `involvedObject.fieldPath`, e.g. `spec.containers{app}`: pass the object through
 * `withFieldPath(obj, path)`, as upstream passes an ObjectReference with FieldPath set.
 */
import type { EventRecorder, ObjectClient } from '../../controllers/client.js';
import { microTime, nowRFC3339 } from '../registry/util.js';
import type { KubeObject } from '../types.js';

export const EVENT_TTL_MS = 60 * 60 * 1000;

/** The involved object, narrowed to a field of it (ObjectReference.fieldPath). */
export type FieldReference = KubeObject & { readonly fieldPath: string };

/**
 * A view of `obj` whose events carry `involvedObject.fieldPath = fieldPath`. Only identity
 * fields are kept: the recorder reads nothing else.
 */
export function withFieldPath(obj: KubeObject, fieldPath: string): FieldReference {
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: obj.metadata, fieldPath };
}

function fieldPathOf(involved: KubeObject): string | undefined {
  const path = involved.fieldPath;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

interface EventObject extends KubeObject {
  count?: number;
  lastTimestamp?: string;
}

export class ApiEventRecorder implements EventRecorder {
  /** aggregation key → event namespace/name, for events this process recorded. */
  readonly #recent = new Map<string, { namespace: string; name: string }>();
  #seq = 0n;

  constructor(
    private readonly client: ObjectClient,
    private readonly clock: { now(): Date },
    private readonly log: (msg: string) => void,
  ) {}

  event(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string; host?: string },
  ): void {
    const m = involved.metadata;
    const namespace = m.namespace || 'default';
    const fieldPath = fieldPathOf(involved);
    // client-go's getEventKey includes the fieldPath: the same message about two containers is
    // two events.
    const key = [
      m.uid,
      m.namespace,
      m.name,
      involved.kind,
      fieldPath ?? '',
      reason,
      message,
      type,
      source.component,
      source.host ?? '',
    ].join('\u0000');
    const now = this.clock.now();
    try {
      const prior = this.#recent.get(key);
      if (prior) {
        const ev = this.client.get<EventObject>('events', prior.namespace, prior.name);
        if (ev) {
          ev.count = (ev.count ?? 1) + 1;
          ev.lastTimestamp = nowRFC3339(now);
          this.client.update('events', ev);
          return;
        }
      }
      // Unique per process and ordered: nanoseconds since the epoch plus a sequence, as hex.
      const ns = BigInt(now.getTime()) * 1_000_000n + (this.#seq++ % 1_000_000n);
      const name = `${m.name}.${ns.toString(16)}`;
      const created = this.client.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          kind: involved.kind,
          namespace: m.namespace,
          name: m.name,
          uid: m.uid,
          apiVersion: involved.apiVersion,
          resourceVersion: m.resourceVersion,
          ...(fieldPath !== undefined && { fieldPath }),
        },
        reason,
        message,
        source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
        firstTimestamp: nowRFC3339(now),
        lastTimestamp: nowRFC3339(now),
        count: 1,
        type,
        eventTime: null,
        reportingComponent: source.component,
        reportingInstance: source.host ?? '',
      } as KubeObject);
      this.#recent.set(key, { namespace, name: created.metadata.name! });
      if (this.#recent.size > 4096) this.#recent.delete(this.#recent.keys().next().value!);
    } catch (e) {
      // Events are best effort, as upstream's: failing to record one never fails the caller.
      this.log(`event not recorded (${reason} on ${involved.kind}/${m.name}): ${(e as Error).message}`);
    }
  }

  /** Deletes events whose lastTimestamp is older than the TTL. */
  sweep(ttlMs = EVENT_TTL_MS): number {
    const cutoff = this.clock.now().getTime() - ttlMs;
    let n = 0;
    for (const ev of this.client.list<EventObject>('events')) {
      const last = Date.parse(ev.lastTimestamp ?? ev.metadata.creationTimestamp ?? '');
      if (Number.isFinite(last) && last < cutoff) {
        try {
          this.client.delete('events', ev.metadata.namespace!, ev.metadata.name!);
          n++;
        } catch {
          /* already gone */
        }
      }
    }
    return n;
  }
}

export { microTime };
