// Mutation fuzzing of the entries parser: whatever the bytes, it returns entries or throws an
// EntriesError naming a position — never another exception. Bounded: a fixed seed and count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEntries } from './entries.js';
import { EntriesError } from './errors.js';

const SEEDS = [
  'entries:\n  - key: a\n    value: "x"\n    ttl: 60\n  - key: h\n    type: hash\n    value: {f: 1}\n',
  '[{"key": "z", "type": "zset", "value": [{"member": "m", "score": 1.5}]}, {"key": "l", "type": "list", "value": [1, true]}]',
  '- key: s\n  type: set\n  value: [a, b]\n  ttl: 1h\n',
];
const ALPHABET = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  "'",
  '-',
  ' ',
  '\n',
  '\t',
  '&a',
  '*a',
  '!!str',
  '#',
  '|',
  '>',
  '0',
  'null',
  'ttl',
  'key',
  'type',
  '\u0000',
  'é',
];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('parseEntries never throws anything but EntriesError on mutated input', () => {
  const rand = rng(42);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    let text = SEEDS[i % SEEDS.length] as string;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (text.length + 1));
      const op = rand();
      if (op < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
      else
        text =
          text.slice(0, at) + (ALPHABET[Math.floor(rand() * ALPHABET.length)] as string) + text.slice(at);
    }
    try {
      parseEntries(text, '/nonexistent/entries.yaml');
      accepted++;
    } catch (err) {
      assert.ok(err instanceof EntriesError, `input ${JSON.stringify(text)} threw ${String(err)}`);
      assert.ok(err.line >= 0 && err.field.length > 0);
    }
  }
  assert.ok(accepted > 0, 'some mutations stay valid');
});
