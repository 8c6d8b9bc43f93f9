import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Event } from 'kubernetes-types/core/v1';
import { ago, DAY, MIN, NOW, SEC } from '../printers/testing/pod-fixtures.js';
import { eventTable } from './table.js';

const base: Event = {
  metadata: { name: 'event2' },
  involvedObject: { kind: 'Deployment', name: 'Deployment Name', fieldPath: 'spec.containers{foo}' },
  source: { component: 'kubelet', host: 'Node1' },
  reason: 'Event Reason',
  message: 'Message Data',
  type: 'Warning',
};

describe('eventTable', () => {
  test('columns, in the server (wide) order', () => {
    assert.deepEqual(
      eventTable.columns.map((c) => [c.name, c.format, c.priority]),
      [
        ['Last Seen', '', 0],
        ['Type', '', 0],
        ['Reason', '', 0],
        ['Object', '', 0],
        ['Subobject', '', 1],
        ['Source', '', 1],
        ['Message', '', 0],
        ['First Seen', '', 1],
        ['Count', '', 1],
        ['Name', 'name', 1],
      ],
    );
    assert.ok(eventTable.columns.every((c) => c.type === 'string'));
    assert.equal(
      eventTable.columns[0]!.description,
      'The time at which the most recent occurrence of this event was recorded.',
    );
  });

  // printers_test.go TestPrintEvent (wide cells, as the server sends them).
  const cases: readonly [string, Event, readonly (string | number)[]][] = [
    [
      'basic',
      {
        ...base,
        source: { component: 'kubelet' },
        involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
        type: 'Normal',
        metadata: { name: 'event1' },
        firstTimestamp: ago(3 * DAY),
        lastTimestamp: ago(2 * DAY),
        count: 6,
      },
      [
        '2d',
        'Normal',
        'Event Reason',
        'pod/Pod Name',
        'spec.containers{foo}',
        'kubelet',
        'Message Data',
        '3d',
        6,
        'event1',
      ],
    ],
    [
      'source with host',
      { ...base, firstTimestamp: ago(3 * DAY), lastTimestamp: ago(2 * DAY), count: 6 },
      [
        '2d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        6,
        'event2',
      ],
    ],
    [
      'no firstTimestamp: eventTime',
      {
        ...base,
        metadata: { name: 'event3' },
        eventTime: ago(3 * DAY),
        lastTimestamp: ago(3 * DAY),
        count: 1,
      },
      [
        '3d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        1,
        'event3',
      ],
    ],
    [
      'no lastTimestamp: first seen',
      {
        ...base,
        metadata: { name: 'event4' },
        eventTime: ago(3 * DAY),
        firstTimestamp: ago(3 * DAY),
        count: 1,
      },
      [
        '3d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        1,
        'event4',
      ],
    ],
    [
      'neither: eventTime for both',
      { ...base, metadata: { name: 'event5' }, eventTime: ago(3 * DAY), count: 1 },
      [
        '3d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        1,
        'event5',
      ],
    ],
    [
      'series overrides last seen and count',
      {
        ...base,
        metadata: { name: 'event6' },
        series: { count: 2, lastObservedTime: ago(2 * DAY) },
        eventTime: ago(3 * DAY),
      },
      [
        '2d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        2,
        'event6',
      ],
    ],
    [
      'singleton new-API event counts 1',
      { ...base, metadata: { name: 'event7' }, eventTime: ago(3 * DAY) },
      [
        '3d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, Node1',
        'Message Data',
        '3d',
        1,
        'event7',
      ],
    ],
    [
      'empty source: reporting controller and instance',
      {
        ...base,
        source: {},
        reportingComponent: 'kubelet',
        reportingInstance: 'test',
        firstTimestamp: ago(3 * DAY),
        lastTimestamp: ago(2 * DAY),
        count: 6,
      },
      [
        '2d',
        'Warning',
        'Event Reason',
        'deployment/Deployment Name',
        'spec.containers{foo}',
        'kubelet, test',
        'Message Data',
        '3d',
        6,
        'event2',
      ],
    ],
  ];
  for (const [what, ev, cells] of cases) test(what, () => assert.deepEqual(eventTable.row(ev, NOW), cells));

  test('a kubelet event on a pod container, message trimmed', () => {
    const ev: Event = {
      metadata: { name: 'web.17f2c9a1b2c3d4e5' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{app}' },
      source: { component: 'kubelet', host: 'node1' },
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod web_default(uid)\n',
      type: 'Warning',
      firstTimestamp: ago(10 * MIN),
      lastTimestamp: ago(30 * SEC),
      count: 12,
    };
    assert.deepEqual(eventTable.row(ev, NOW), [
      '30s',
      'Warning',
      'BackOff',
      'pod/web',
      'spec.containers{app}',
      'kubelet, node1',
      'Back-off restarting failed container app in pod web_default(uid)',
      '10m',
      12,
      'web.17f2c9a1b2c3d4e5',
    ]);
  });

  test('no times at all, unnamed object', () => {
    const ev: Event = { metadata: { name: 'e' }, involvedObject: { kind: 'Node' } };
    assert.deepEqual(eventTable.row(ev, NOW), ['<unknown>', '', '', 'node', '', '', '', '<unknown>', 1, 'e']);
  });

  test('a malformed eventTime names the field', () => {
    assert.throws(
      () => eventTable.row({ ...base, eventTime: 'nope' }, NOW),
      /eventTime: invalid RFC 3339 timestamp "nope"/,
    );
  });
});
