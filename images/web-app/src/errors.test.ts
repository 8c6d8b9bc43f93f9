// Keeps the error catalog (src/errors.ts, src/http/respond.ts) and the README's table in step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const codes = (text: string) => [...new Set(text.match(/WEBAPP_[A-Z_]+/g) ?? [])].sort();

test('every error code is documented in the README, and the README lists no other', () => {
  const inCode = codes(read('src/errors.ts') + read('src/http/respond.ts'));
  assert.ok(inCode.length >= 6, inCode.join(','));
  assert.deepEqual(codes(read('README.md')), inCode);
});
