import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectApiError } from '../testing/api-errors.js';
import { parseListOptions, parseResourceVersion, queryBool } from './list-options.js';

const parse = (query: string) => () => parseListOptions(new URLSearchParams(query));

describe('ListOptions from the query string', () => {
  test('integers are Go int64s: anything else is a 400 with strconv text alone, as upstream (it names no parameter)', () => {
    expectApiError(parse('timeoutSeconds=abc'), 400, 'strconv.ParseInt: parsing "abc": invalid syntax');
    expectApiError(
      parse('watch=1&timeoutSeconds=1e12'),
      400,
      'strconv.ParseInt: parsing "1e12": invalid syntax',
    );
    expectApiError(parse('limit=1.5'), 400, 'strconv.ParseInt: parsing "1.5": invalid syntax');
    expectApiError(parse('limit='), 400, 'strconv.ParseInt: parsing "": invalid syntax');
    expectApiError(
      parse('limit=9223372036854775808'),
      400,
      'strconv.ParseInt: parsing "9223372036854775808": value out of range',
    );
    assert.equal(parseListOptions(new URLSearchParams('timeoutSeconds=%2B5')).timeoutSeconds, 5);
    assert.equal(parseListOptions(new URLSearchParams('limit=-1')).limit, -1);
  });

  test('booleans as upstream converts them: only "0" and "false" are false', () => {
    const b = (v: string) => queryBool(new URLSearchParams(v), 'watch');
    assert.equal(b(''), false);
    assert.equal(b('watch=0'), false);
    assert.equal(b('watch=FALSE'), false);
    assert.equal(b('watch=true'), true);
    assert.equal(b('watch=yes'), true);
    assert.equal(b('watch='), true);
  });

  test('resourceVersionMatch and sendInitialEvents on a list: 422 on ListOptions with upstream messages', () => {
    expectApiError(
      parse('resourceVersionMatch=Exact'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    );
    expectApiError(
      parse('resourceVersion=1&resourceVersionMatch=Bogus'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""',
    );
    expectApiError(
      parse('resourceVersion=0&resourceVersionMatch=Exact'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    );
    expectApiError(
      parse('sendInitialEvents=true'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    );
    assert.equal(
      parseListOptions(new URLSearchParams('resourceVersion=5&resourceVersionMatch=NotOlderThan')).watch,
      false,
    );
  });

  test('resourceVersionMatch and sendInitialEvents on a watch', () => {
    expectApiError(
      parse('watch=true&resourceVersionMatch=NotOlderThan'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    );
    // Watch-list is not served: refused as upstream refuses it without the WatchList feature gate.
    expectApiError(
      parse('watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true'),
      422,
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
    );
    const w = parseListOptions(new URLSearchParams('watch=1&allowWatchBookmarks=true&timeoutSeconds=3600'));
    assert.deepEqual(w, {
      watch: true,
      allowWatchBookmarks: true,
      resourceVersion: null,
      timeoutSeconds: 3600,
    });
  });

  test('resourceVersion: unset, "" and "0" are any; a revision is digits; anything else is a 400 (lists ignored it)', () => {
    assert.equal(parseResourceVersion(null), null);
    assert.equal(parseResourceVersion('0'), null);
    assert.equal(parseResourceVersion('42'), 42);
    for (const bad of ['abc', '-1', '1e3', '0x10', ' 1', '1.5', '99999999999999999999'])
      expectApiError(
        () => parseResourceVersion(bad),
        400,
        `invalid resourceVersion ${JSON.stringify(bad)}: must be a non-negative integer`,
      );
    expectApiError(
      parse('resourceVersion=abc'),
      400,
      'invalid resourceVersion "abc": must be a non-negative integer',
    );
  });
});
