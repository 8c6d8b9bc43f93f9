// Random SQL-ish text: the splitter and position math never throw, statements stay inside the text
// and in order. Bounded: a fixed seed and count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineColumn, splitStatements, statementAt } from './sql-split.js';

const PIECES = [
  'SELECT 1',
  ';',
  "'",
  "''",
  '"',
  '$$',
  '$x$',
  '--',
  '/*',
  '*/',
  '\n',
  '\r\n',
  'E',
  '\\',
  ' ',
  'é',
  '😀',
  'BEGIN',
  'COMMIT',
];

test('splitStatements and lineColumn are total on random input', () => {
  let s = 7;
  const rand = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < 3000; i++) {
    let text = '';
    const n = Math.floor(rand() * 30);
    for (let k = 0; k < n; k++) text += PIECES[Math.floor(rand() * PIECES.length)];
    const stmts = splitStatements(text);
    const length = [...text].length;
    let last = -1;
    for (const st of stmts) {
      assert.ok(st.start >= 0 && st.end <= length && st.start <= st.end, JSON.stringify(text));
      assert.ok(st.start > last);
      last = st.start;
    }
    const pos = 1 + Math.floor(rand() * (length + 2));
    lineColumn(text, pos);
    statementAt(stmts, pos);
  }
});
