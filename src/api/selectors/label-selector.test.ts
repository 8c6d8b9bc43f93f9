import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../errors.js';
import {
  formatLabelSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from './label-selector.js';

const labels = { app: 'web', tier: 'front', n: '5', empty: '' };

describe('parseLabelSelector', () => {
  const cases: [string, boolean, string][] = [
    // selector, matches `labels`, canonical string
    ['', true, ''],
    ['app=web', true, 'app=web'],
    ['app==web', true, 'app==web'],
    ['app!=web', false, 'app!=web'],
    ['app', true, 'app'],
    ['!app', false, '!app'],
    ['!missing', true, '!missing'],
    ['tier in (front,back)', true, 'tier in (back,front)'],
    ['tier notin (front)', false, 'tier notin (front)'],
    ['missing notin (x)', true, 'missing notin (x)'],
    ['n>4', true, 'n>4'],
    ['n<5', false, 'n<5'],
    ['  app = web ,  tier  ', true, 'app=web,tier'],
    ['tier,app=web', true, 'app=web,tier'],
    ['empty=', true, 'empty='],
    ['x in (in)', false, 'x in (in)'],
    ['app in (web,,)', true, 'app in (,web)'],
    ['example.com/role=a', false, 'example.com/role=a'],
  ];
  for (const [sel, match, str] of cases) {
    test(`${JSON.stringify(sel)} matches=${match}`, () => {
      const s = parseLabelSelector(sel);
      assert.equal(s.matches(labels), match);
      assert.equal(s.toString(), str);
    });
  }

  const errors: [string, string][] = [
    ['app=web,', "found '', expected: identifier after ','"],
    ['=web', "found '=', expected: !, identifier, or 'end of string'"],
    ['app web', "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"],
    ['app in web', "unable to parse requirement: found 'web' expected: '('"],
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['app=(', "unable to parse requirement: found '(', expected: identifier"],
    [
      'n>x',
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
    [
      '_a=b',
      `unable to parse requirement: <nil>: Invalid value: "_a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    [
      'a=-b',
      `unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ];
  for (const [sel, msg] of errors) {
    test(`rejects ${JSON.stringify(sel)}`, () => {
      assert.throws(
        () => parseLabelSelector(sel),
        (e: unknown) =>
          e instanceof ApiError && e.code === 400 && e.reason === 'BadRequest' && e.message === msg,
      );
    });
  }
});

describe('selectorFromLabelSelector', () => {
  test('null selects nothing, empty selects everything', () => {
    assert.equal(selectorFromLabelSelector(undefined).matches(labels), false);
    assert.equal(selectorFromLabelSelector(null).matches({}), false);
    assert.equal(selectorFromLabelSelector({}).matches({}), true);
    assert.equal(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).isEverything(), true);
  });

  test('matchLabels and matchExpressions combine', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'back'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'n', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['a'] },
      ],
    });
    assert.equal(s.matches(labels), true);
    assert.equal(s.matches({ ...labels, canary: 'yes' }), false);
    assert.equal(s.toString(), 'app=web,!canary,n,tier in (back,front),zone notin (a)');
  });

  test('bad operator and empty In values are 400s with upstream text', () => {
    assert.throws(
      () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
      /"Gt" is not a valid label selector operator/,
    );
    assert.throws(
      () => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }),
      /values: Invalid value: \[\]string\{\}: for 'in', 'notin' operators, values set can't be empty/,
    );
  });

  test('formatLabelSelector', () => {
    assert.equal(formatLabelSelector({ matchLabels: { b: '2', a: '1' } }), 'a=1,b=2');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector(undefined), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }), '<error>');
  });

  test('selectorFromSet', () => {
    assert.equal(selectorFromSet({ app: 'web' }).matches(labels), true);
    assert.equal(selectorFromSet({ app: 'db' }).matches(labels), false);
    assert.equal(selectorFromSet(undefined).matches({}), true);
  });
});
