import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError, RuleClashError } from '../errors.js';
import { checkRuleClashes } from './clash-check.js';
import { compileRules } from './compile.js';
import { parseRuleSet } from './load-rules.js';
import { compileMatcher, globToRegex } from './matcher.js';
import { compileTemplate, expandTemplate } from './template.js';

const reserved = new Set(['legacy_up']);

function clash(mappings: unknown[], prefix = 'legacy_'): void {
  const set = parseRuleSet({ mappings }, '--rules');
  checkRuleClashes(compileRules(set.rules), prefix, reserved);
}

describe('matchers', () => {
  test('exact matches only the whole name', () => {
    const m = compileMatcher('response_time', 'exact');
    assert.ok(m.match('response_time'));
    assert.equal(m.match('response_time_p99'), null);
  });
  test('glob: * stays within a dot part, ** crosses, each wildcard captures', () => {
    assert.deepEqual(compileMatcher('db.*.active', 'glob').match('db.main.active')?.positional, [
      'db.main.active',
      'main',
    ]);
    assert.equal(compileMatcher('db.*', 'glob').match('db.a.b'), null);
    assert.ok(compileMatcher('db.**', 'glob').match('db.a.b'));
    assert.equal(globToRegex('a+b?').source, '^a\\+b([^.])$');
  });
  test('regex is anchored and exposes named groups', () => {
    const m = compileMatcher('http_(?<code>\\d+)_count', 'regex');
    assert.deepEqual(m.match('http_200_count')?.named, { code: '200' });
    assert.equal(m.match('xhttp_200_count'), null);
    assert.equal(m.groups, 1);
    assert.deepEqual(m.groupNames, ['code']);
  });
  test('templates expand positional, braced, named and $$ references', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the adapter's own ${n} template syntax is under test
    const t = compileTemplate('a_$1_${2}_${code}_$$');
    assert.equal(t.isStatic, false);
    assert.equal(expandTemplate(t, { positional: ['x', 'p', 'q'], named: { code: '200' } }), 'a_p_q_200_$');
    assert.equal(compileTemplate('plain$$').staticValue, 'plain$');
    assert.throws(() => compileTemplate('bad$'), /not \$n/);
  });
});

describe('parseRuleSet errors name the setting', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ mapings: [] }, /--rules mapings: unknown key/],
    [{ mappings: [{ match: 'a', lables: {} }] }, /--rules mappings\[0\]\.lables: unknown key/],
    [{ mappings: [{}] }, /--rules mappings\[0\]\.match: is required/],
    [
      { mappings: [{ match: 'a', type: 'summary' }] },
      /mappings\[0\]\.type: must be one of counter, gauge, untyped/,
    ],
    [{ mappings: [{ match: 'a', values: { OK: 'zero' } }] }, /mappings\[0\]\.values\.OK: must be a number/],
    [{ mappings: [{ match: 'a', labels: { 'bad-name': 'x' } }] }, /mappings\[0\]\.labels\.bad-name/],
    [{ mappings: [{ match: 'a', match_type: 'fuzzy' }] }, /mappings\[0\]\.match_type/],
    [{ prefix: '9x' }, /--rules prefix/],
    [{ unmapped: 'maybe' }, /--rules unmapped/],
  ];
  for (const [doc, re] of cases) {
    test(String(re), () => {
      assert.throws(
        () => parseRuleSet(doc, '--rules'),
        (err: unknown) => err instanceof ConfigError && re.test(err.message),
      );
    });
  }
  test('template and pattern errors are caught at compile time', () => {
    const compile = (m: unknown): unknown => compileRules(parseRuleSet({ mappings: [m] }, '--rules').rules);
    assert.throws(
      () => compile({ match: 'a_*', name: 'x_$2' }),
      /mappings\[0\]\.name: uses \$2 but the glob pattern has 1/,
    );
    assert.throws(
      () => compile({ match: '(', match_type: 'regex' }),
      /mappings\[0\]\.match: invalid regular expression/,
    );
    assert.throws(
      () => compile({ match: 'a', name: '9lives' }),
      /mappings\[0\]\.name: "9lives" is not a valid metric name/,
    );
    assert.throws(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the adapter's own ${name} template syntax
      () => compile({ match: 'a_(?<x>.)', match_type: 'regex', name: 'a_${y}' }),
      /no group named y/,
    );
  });
  test('defaults: exact without wildcards, glob with them, keep unmapped', () => {
    const set = parseRuleSet(
      { mappings: [{ match: 'a' }, { match: 'b_*', labels: { k: '$1' } }] },
      '--rules',
    );
    assert.deepEqual(
      set.rules.map((r) => r.matchType),
      ['exact', 'glob'],
    );
    assert.equal(set.unmapped, 'keep');
  });
});

describe('checkRuleClashes', () => {
  test('accepts the seed mapping', () => {
    clash([
      { match: 'requests_total', help: 'Requests.' },
      { match: 'response_time', name: 'response_time_seconds' },
      { match: 'errors_total' },
      { match: 'status', values: { OK: 0, FAIL: 1 } },
      { match: 'http_*_count', name: 'http_responses_total', labels: { code: '$1' } },
    ]);
  });
  const refused: Array<[string, unknown[], RegExp]> = [
    [
      'different types',
      [
        { match: 'a', name: 'x', type: 'gauge' },
        { match: 'b', name: 'x', type: 'untyped' },
      ],
      /mappings\[0\] \(match "a"\) and mappings\[1\] \(match "b"\) both produce legacy_x with different types: gauge vs untyped/,
    ],
    [
      'different label sets',
      [
        { match: 'a', name: 'x', labels: { k: '1' } },
        { match: 'b', name: 'x' },
      ],
      /mappings\[0\].*mappings\[1\].*different label sets: \{k\} vs \{\}/,
    ],
    [
      'same series twice',
      [
        { match: 'a', name: 'x', labels: { k: '1' } },
        { match: 'b', name: 'x', labels: { k: '1' } },
      ],
      /same labels/,
    ],
    [
      'different help',
      [
        { match: 'a', name: 'x', labels: { k: '1' }, help: 'one' },
        { match: 'b', name: 'x', labels: { k: '2' }, help: 'two' },
      ],
      /different help texts/,
    ],
    ['reserved name', [{ match: 'a', name: 'up' }], /reserves for its own metrics/],
    [
      'glob collapsing onto one series',
      [{ match: 'a_*', name: 'x' }],
      /maps every name it matches to the one series/,
    ],
    [
      'counter total vs gauge of the OpenMetrics family name',
      [
        { match: 'a', name: 'x', type: 'counter' },
        { match: 'b', name: 'x', type: 'gauge' },
      ],
      /OpenMetrics family is also legacy_x/,
    ],
  ];
  for (const [what, mappings, re] of refused) {
    test(`refuses ${what}, naming both rules`, () => {
      assert.throws(
        () => clash(mappings),
        (err: unknown) => err instanceof RuleClashError && re.test(err.message),
      );
    });
  }
  test('different static labels on one name are fine', () => {
    clash([
      { match: 'a', name: 'x', labels: { k: '1' } },
      { match: 'b', name: 'x', labels: { k: '2' } },
    ]);
  });
});
