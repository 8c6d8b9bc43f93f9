import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES } from './errors.js';

// The README documents every error code, and nothing else: the catalog and the docs stay in step.
test('README "Errors" lists exactly the codes of the catalog', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const documented = new Set(readme.match(/LS_ERR_[A-Z_]+/g) ?? []);
  assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
});
