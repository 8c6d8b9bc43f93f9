import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type MetricFamily, makeSeries } from '../mapping/family.js';
import {
  escapeHelpText,
  escapeLabelValue,
  render,
  renderBuffer,
  renderOpenMetrics,
  renderText,
} from './exposition.js';
import { negotiateFormat } from './negotiate.js';

const families: MetricFamily[] = [
  {
    name: 'legacy_requests_total',
    type: 'counter',
    help: 'Requests.',
    series: [makeSeries('legacy_requests_total', [], 1241)],
  },
  {
    name: 'legacy_state',
    type: 'untyped',
    help: 'a\\b\nc"',
    series: [makeSeries('legacy_state', [['k', 'v"\\\n']], Number.NaN)],
  },
];

describe('render', () => {
  test('text 0.0.4', () => {
    assert.equal(
      renderText(families),
      '# HELP legacy_requests_total Requests.\n# TYPE legacy_requests_total counter\nlegacy_requests_total 1241\n' +
        '# HELP legacy_state a\\\\b\\nc"\n# TYPE legacy_state untyped\nlegacy_state{k="v\\"\\\\\\n"} NaN\n',
    );
  });
  test('OpenMetrics 1.0: counter family without _total, no TYPE for unknown, # EOF', () => {
    assert.equal(
      renderOpenMetrics(families),
      '# HELP legacy_requests Requests.\n# TYPE legacy_requests counter\nlegacy_requests_total 1241\n' +
        '# HELP legacy_state a\\\\b\\nc\\"\nlegacy_state{k="v\\"\\\\\\n"} NaN\n# EOF\n',
    );
  });
  test('renderBuffer gives the bytes of the rendered string, non-ASCII and large bodies included', () => {
    const big: MetricFamily[] = [
      ...families,
      {
        name: 'legacy_route',
        type: 'gauge',
        help: 'Héllo ☃ \ud83d\ude00 \ud800 lone',
        series: Array.from({ length: 5000 }, (_, i) =>
          makeSeries('legacy_route', [['route', i % 7 ? `/api/r${i}` : `/ä/☃/\ud83d\ude00${i}`]], i / 7),
        ),
      },
    ];
    for (const format of ['text', 'openmetrics'] as const) {
      for (const fs of [families, big, []]) {
        assert.deepEqual(renderBuffer(fs, format), Buffer.from(render(fs, format)));
      }
    }
  });
  test('escapes', () => {
    assert.equal(escapeHelpText('plain'), 'plain');
    assert.equal(escapeLabelValue('a"b'), 'a\\"b');
  });
});

describe('negotiateFormat', () => {
  const cases: Array<[string | undefined, string]> = [
    [undefined, 'text'],
    ['*/*', 'text'],
    ['text/plain', 'text'],
    // Prometheus 2.42's scrape Accept header.
    [
      'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      'openmetrics',
    ],
    ['application/openmetrics-text;q=0.2, text/plain;q=0.9', 'text'],
    ['application/openmetrics-text;q=0', 'text'],
  ];
  for (const [accept, want] of cases) test(String(accept), () => assert.equal(negotiateFormat(accept), want));
});
