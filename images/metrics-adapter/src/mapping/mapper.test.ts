import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { render, renderBuffer } from '../expose/exposition.js';
import { compileRules } from '../rules/compile.js';
import { parseRuleSet } from '../rules/load-rules.js';
import { parseTextStats } from '../source/text-parser.js';
import { Mapper, toNumber } from './mapper.js';

function mapper(mappings: unknown[], unmapped: 'keep' | 'drop' = 'keep'): Mapper {
  const rules = compileRules(parseRuleSet({ mappings }, '--rules').rules);
  return new Mapper({ rules, prefix: 'legacy_', unmapped, reserved: new Set(['legacy_up']) });
}

function run(m: Mapper, body: string) {
  const result = m.map(parseTextStats(body).samples);
  return {
    series: result.families.flatMap((f) =>
      f.series.map((s) => [f.name, f.type, Object.fromEntries(s.labels), s.value]),
    ),
    dropped: Object.fromEntries(result.dropped),
    unmatched: result.unmatched,
  };
}

describe('Mapper', () => {
  test('without rules: prefix, sanitised names, type from _total, strings dropped as non_numeric', () => {
    const r = run(mapper([]), 'requests_total 1241\nresponse_time 0.25\ncache.hits 3\nversion 1.0.3\n');
    assert.deepEqual(r.series, [
      ['legacy_requests_total', 'counter', {}, 1241],
      ['legacy_response_time', 'gauge', {}, 0.25],
      ['legacy_cache_hits', 'gauge', {}, 3],
    ]);
    assert.deepEqual(r.dropped, { non_numeric: 1 });
    assert.equal(r.unmatched, 4);
  });
  test('rules: rename with captures, labels, value maps, value_label, drop, no prefix, counter gets _total', () => {
    const m = mapper([
      { match: 'response_time', name: 'response_time_seconds', help: 'Mean response time.' },
      {
        match: 'http_*_count',
        name: 'http_responses',
        type: 'counter',
        labels: { code: '$1', app: 'legacy' },
      },
      { match: 'status', values: { OK: 0, FAIL: 1 } },
      { match: 'version', name: 'build_info', value_label: 'version' },
      { match: 'uptime', action: 'drop' },
      { match: 'raw', prefix: false, type: 'untyped' },
    ]);
    const r = run(
      m,
      'response_time 0.25\nhttp_200_count 7\nhttp_500_count 1\nstatus: ok\nversion 1.0.3\nuptime 3600\nraw 2\n',
    );
    assert.deepEqual(r.series, [
      ['legacy_response_time_seconds', 'gauge', {}, 0.25],
      ['legacy_http_responses_total', 'counter', { app: 'legacy', code: '200' }, 7],
      ['legacy_http_responses_total', 'counter', { app: 'legacy', code: '500' }, 1],
      ['legacy_status', 'gauge', {}, 0],
      ['legacy_build_info', 'gauge', { version: '1.0.3' }, 1],
      ['raw', 'untyped', {}, 2],
    ]);
    assert.deepEqual(r.dropped, { rule_drop: 1 });
  });
  test('the seed awk bug does not happen: response_time does not catch response_time_p99', () => {
    const r = run(
      mapper([{ match: 'response_time', name: 'rt_seconds' }], 'drop'),
      'response_time 1\nresponse_time_p99 2\n',
    );
    assert.deepEqual(r.series, [['legacy_rt_seconds', 'gauge', {}, 1]]);
    assert.deepEqual(r.dropped, { unmapped_drop: 1 });
  });
  test('runtime clashes are dropped and counted, never exported', () => {
    const m = mapper([
      { match: 'g_*', name: 'x_$1', type: 'gauge' },
      { match: 'c_*', name: 'x_$1', type: 'untyped' },
    ]);
    const r = run(m, 'g_a 1\nc_a 2\nx{a="1"} 1\nx 2\nx{a="1"} 3\nup 1\nneg_total -1\nbad{__x="1"} 1\n');
    assert.deepEqual(r.series, [
      ['legacy_x_a', 'gauge', {}, 1],
      ['legacy_x', 'gauge', { a: '1' }, 1],
    ]);
    assert.deepEqual(r.dropped, {
      type_conflict: 1,
      label_conflict: 1,
      duplicate_series: 1,
      reserved_name: 1,
      invalid_counter_value: 1,
      invalid_label: 1,
    });
  });
  test('a name that changes type between scrapes is dropped as type_changed', () => {
    const m = mapper([
      { match: 'v_*', name: 'v', labels: { k: '$1' }, type: 'gauge' },
      { match: 'w_*', name: 'v', labels: { k: '$1' }, type: 'untyped' },
    ]);
    assert.deepEqual(run(m, 'v_a 1\n').series, [['legacy_v', 'gauge', { k: 'a' }, 1]]);
    const second = run(m, 'w_a 1\n');
    assert.deepEqual(second.series, []);
    assert.deepEqual(second.dropped, { type_changed: 1 });
  });
});

describe('known-head fast path', () => {
  const body =
    'requests_total 5\nhttp{code="200"} 7\nhttp{code="500"}   1\nlast_error: none\nodd{a="}"} 2\nweird{a="1"} {x}\nstatus\tOK\n';
  const mappings = [{ match: 'status', values: { OK: 0 } }];
  const full = (m: Mapper) => m.map(parseTextStats(body).samples);
  const fast = (m: Mapper) => m.map(parseTextStats(body, m.knowsHead).samples);
  const view = (r: ReturnType<Mapper['map']>) => ({
    series: r.families.flatMap((f) => f.series.map((s) => [f.type, s.key, s.value])),
    dropped: Object.fromEntries(r.dropped),
    unmatched: r.unmatched,
    exported: r.exported,
  });

  test('gives the same result as a full parse, scrape after scrape', () => {
    const reference = view(full(mapper(mappings)));
    const m = mapper(mappings);
    for (let i = 0; i < 3; i++) assert.deepEqual(view(fast(m)), reference);
    assert.ok(m.knowsHead('http{code="200"} '));
    assert.equal(m.knowsHead('http{code="404"} '), false);
  });

  test('only values are taken from known lines; new values show up', () => {
    const m = mapper([]);
    fast(m);
    const next = m.map(parseTextStats('requests_total 6\nhttp{code="200"} 8\n', m.knowsHead).samples);
    assert.deepEqual(view(next).series, [
      ['counter', 'legacy_requests_total', 6],
      ['gauge', 'legacy_http{code="200"}', 8],
    ]);
  });
});

describe('expected-head fast path (lookupHead + expectedHeads, as the collector uses them)', () => {
  const mappings = [{ match: 'status', values: { OK: 0 } }];
  const view = (r: ReturnType<Mapper['map']>) => ({
    series: r.families.flatMap((f) => f.series.map((s) => [f.type, s.key, s.value])),
    dropped: Object.fromEntries(r.dropped),
    unmatched: r.unmatched,
    exported: r.exported,
  });
  const bodies = [
    // values that format differently from their text, and a label value with non-ASCII
    'requests_total 5.0\ny{a="ä☃"} 0x10\nstatus OK\nx 1e3\n',
    'requests_total 5\nhttp{code="200"} 7\nhttp{code="500"}   1\nlast_error: none\nstatus\tOK\nx 5\n',
    // same lines, new values
    'requests_total 6\nhttp{code="200"} 8\nhttp{code="500"}   2\nlast_error: none\nstatus\tOK\nx 6\n',
    // a line inserted, one removed, one whose value now starts with ":" or odd whitespace
    'new_one 1\nrequests_total 7\nhttp{code="500"}   3\nlast_error: : x\nstatus\tok\nx :5\n',
    // heads followed by other text, duplicates, reordering
    'x  5\nhttp{code="500"} 4}\nhttp{code="200"}\u00a09\nrequests_total 8\nrequests_total 9\nstatus OK\n',
    'requests_total 5\nhttp{code="200"} 7\nhttp{code="500"}   1\nlast_error: none\nstatus\tOK\nx 5\n',
    // Unicode whitespace (BOM, NBSP, ideographic space) at line and value edges, CRLF, comments,
    // non-ASCII values, a value that is a prefix of the last one, a line too long to read
    '\ufeffrequests_total 5\r\nhttp{code="200"} 7\u3000\n  # note\nhttp{code="500"}\u00a0\u00a01\nx 5ä\nstatus OK\n',
    `requests_total 5\r\nhttp{code="200"} 7 \t\nhttp{code="500"} 1\nx 5\nstatus OK\n  \t\nx_long ${'1'.repeat(70_000)}\n`,
    `requests_total 50\nhttp{code="200"} 7\nhttp{code="500"} 11\nx 5${' '.repeat(70_000)}z\nstatus OKAY\n`,
  ];
  test('mapText (the byte path the collector uses) gives the same result as a full parse, in any order', () => {
    const m = mapper(mappings);
    const ref = mapper(mappings);
    for (const i of [0, 1, 2, 3, 4, 5, 6, 7, 8, 6, 5, 5, 4, 3, 2, 1, 0, 0, 1, 5, 7, 7, 8, 8, 6, 6]) {
      const body = bodies[i]!;
      const reference = ref.map(parseTextStats(body).samples);
      const result = m.mapText(Buffer.from(body, 'utf8'));
      assert.deepEqual(view(result), view(reference), `body ${i}`);
      assert.deepEqual(result.unparsed, parseTextStats(body).unparsed, `body ${i} unparsed`);
      assert.equal(result.samples, parseTextStats(body).samples.length, `body ${i} samples`);
      for (const format of ['text', 'openmetrics'] as const) {
        const want = Buffer.from(render(reference.families, format));
        assert.deepEqual(renderBuffer(result.families, format), want, `body ${i} ${format}`);
      }
    }
  });

  test('gives the same result as a full parse for every body, in any order of scrapes', () => {
    // The reference mapper sees the same scrapes fully parsed (it keeps the same type ledger).
    const m = mapper(mappings);
    const ref = mapper(mappings);
    for (const i of [0, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 0, 0, 1, 5, 6, 7, 8, 6]) {
      const body = bodies[i]!;
      const reference = view(ref.map(parseTextStats(body).samples));
      const result = m.map(parseTextStats(body, m.lookupHead, m.expectedHeads).samples);
      assert.deepEqual(view(result), reference, `body ${i}`);
      for (const format of ['text', 'openmetrics'] as const) {
        const want = Buffer.from(render(ref.map(parseTextStats(body).samples).families, format));
        assert.deepEqual(renderBuffer(result.families, format), want, `body ${i} ${format}`);
      }
    }
  });
});

describe('toNumber', () => {
  test('value map before number syntax, case-insensitive fallback, booleans', () => {
    const values = new Map([
      ['OK', 0],
      ['1', 5],
    ]);
    assert.equal(toNumber('OK', values), 0);
    assert.equal(toNumber('ok', values), 0);
    assert.equal(toNumber('1', values), 5);
    assert.equal(toNumber('2', values), 2);
    assert.equal(toNumber('FAIL', values), undefined);
    assert.equal(toNumber(true, undefined), 1);
    assert.equal(toNumber(false, undefined), 0);
  });
});
