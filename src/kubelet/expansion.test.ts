import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expand, mappingFor } from './expansion.js';

// Cases from upstream's expansion tests (behaviour, re-expressed).
test('expand follows the upstream expansion rules', () => {
  const vars = new Map([
    ['VAR_A', 'A'],
    ['VAR_B', 'B'],
    ['VAR_C', 'C'],
    ['VAR_REF', '$(VAR_A)'],
    ['VAR_EMPTY', ''],
  ]);
  const mapping = mappingFor(vars);
  const table: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)-$(VAR_C)', 'A-B-C'],
    ['$(VAR_REF)', '$(VAR_A)'], // no recursion
    ['$$(VAR_A)', '$(VAR_A)'], // escaped
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['$(VAR_DNE)', '$(VAR_DNE)'], // unknown kept
    ['$(VAR_EMPTY)x', 'x'],
    ['$(VAR_A', '$(VAR_A'], // unterminated
    ['$VAR_A', '$VAR_A'],
    ['foo$', 'foo$'], // trailing operator
    ['$', '$'],
    ['$$', '$'],
    ['()', '()'],
    ['$()', ''], // the empty name is looked up like any other
    ['héllo $(VAR_A) wörld', 'héllo A wörld'],
  ];
  for (const [input, want] of table) {
    const got = expand(input, input === '$()' ? mappingFor(new Map([['', '']])) : mapping);
    assert.equal(got, want, `expand(${JSON.stringify(input)})`);
  }
  assert.equal(expand('$()', mapping), '$()', 'an undefined empty name is kept');
});

test('earlier contexts win', () => {
  const mapping = mappingFor(
    new Map([['X', '1']]),
    new Map([
      ['X', '2'],
      ['Y', '3'],
    ]),
  );
  assert.equal(expand('$(X)$(Y)', mapping), '13');
});
