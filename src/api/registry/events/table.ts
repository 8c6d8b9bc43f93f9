/**
 * `kubectl get events` columns (printers.go printEvent), in the server's (wide) cell order:
 *   Last Seen, Type, Reason, Object, Message | Subobject, Source, First Seen, Count, Name
 * (kubectl shows the wide ones after Object/Source as the column list orders them).
 *
 * Times: First Seen is firstTimestamp, else eventTime (events.k8s.io-style events); Last Seen
 * is lastTimestamp, else First Seen; a series overrides Last Seen and Count with its
 * lastObservedTime and count; a singleton new-API event without count counts 1.
 */
import type { Event, EventSource } from 'kubernetes-types/core/v1';
import { firstNonEmpty, goTrimSpace } from '../printers/cells.js';
import { column, NAME_COLUMN, wideColumn } from '../printers/columns.js';
import { parseTimestamp, translateTimestampSince } from '../printers/timestamps.js';
import type { TableConvertor } from '../table.js';

// apiv1.Event{} and ObjectReference SwaggerDoc() strings, v0.32.
const LAST_TIMESTAMP_DOC = 'The time at which the most recent occurrence of this event was recorded.';
const TYPE_DOC = 'Type of this event (Normal, Warning), new types could be added in the future';
const REASON_DOC =
  "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.";
const INVOLVED_OBJECT_DOC = 'The object that this event is about.';
const FIELD_PATH_DOC =
  'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.';
const SOURCE_DOC = 'The component reporting this event. Should be a short machine understandable string.';
const MESSAGE_DOC = 'A human-readable description of the status of this operation.';
const FIRST_TIMESTAMP_DOC =
  'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)';
const COUNT_DOC = 'The number of times this event has occurred.';

export const eventTable: TableConvertor<Event> = {
  columns: [
    column('Last Seen', 'string', LAST_TIMESTAMP_DOC),
    column('Type', 'string', TYPE_DOC),
    column('Reason', 'string', REASON_DOC),
    column('Object', 'string', INVOLVED_OBJECT_DOC),
    wideColumn('Subobject', 'string', FIELD_PATH_DOC),
    wideColumn('Source', 'string', SOURCE_DOC),
    column('Message', 'string', MESSAGE_DOC),
    wideColumn('First Seen', 'string', FIRST_TIMESTAMP_DOC),
    wideColumn('Count', 'string', COUNT_DOC),
    { ...NAME_COLUMN, priority: 1 },
  ],
  row(ev, now) {
    const firstSeen =
      parseTimestamp(ev.firstTimestamp, 'firstTimestamp') === undefined
        ? translateTimestampSince(ev.eventTime, now, 'eventTime')
        : translateTimestampSince(ev.firstTimestamp, now, 'firstTimestamp');
    let lastSeen =
      parseTimestamp(ev.lastTimestamp, 'lastTimestamp') === undefined
        ? firstSeen
        : translateTimestampSince(ev.lastTimestamp, now, 'lastTimestamp');

    let count = ev.count ?? 0;
    if (ev.series) {
      lastSeen = translateTimestampSince(ev.series.lastObservedTime, now, 'series.lastObservedTime');
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1; // Singleton events don't have a count set in the new API.
    }

    return [
      lastSeen,
      ev.type ?? '',
      ev.reason ?? '',
      involvedObject(ev),
      ev.involvedObject?.fieldPath ?? '',
      formatEventSource(ev.source, ev.reportingComponent, ev.reportingInstance),
      goTrimSpace(ev.message ?? ''),
      firstSeen,
      count,
      ev.metadata?.name ?? '',
    ];
  },
};

/** "pod/web": the lower-cased kind, then "/name" when the reference has a name. */
function involvedObject(ev: Event): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  const name = ev.involvedObject?.name ?? '';
  return name ? `${kind}/${name}` : kind;
}

/**
 * printers.go formatEventSource: "component, host", falling back to reportingComponent and
 * reportingInstance (events.k8s.io fields) when source is empty; no ", " without a host.
 */
function formatEventSource(
  source: EventSource | undefined,
  reportingComponent: string | undefined,
  reportingInstance: string | undefined,
): string {
  const component = firstNonEmpty(source?.component, reportingComponent);
  const instance = firstNonEmpty(source?.host, reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}
