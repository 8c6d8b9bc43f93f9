/** A recording EventRecorder for tests: every event, in order, as `Type Reason Message`. */
import type { KubeObject } from '../../api/types.js';
import type { EventRecorder } from '../client.js';

export interface RecordedEvent {
  involved: { kind: string; namespace?: string; name?: string; uid?: string };
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  component: string;
}

export class FakeEventRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];

  event(
    involved: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: { component: string },
  ): void {
    const m = involved.metadata;
    this.events.push({
      involved: { kind: involved.kind, namespace: m.namespace, name: m.name, uid: m.uid },
      type,
      reason,
      message,
      component: source.component,
    });
  }

  /** `Normal ScalingReplicaSet Scaled up replica set web-x to 3` lines, optionally for one reason. */
  lines(reason?: string): string[] {
    return this.events
      .filter((e) => !reason || e.reason === reason)
      .map((e) => `${e.type} ${e.reason} ${e.message}`);
  }
}
