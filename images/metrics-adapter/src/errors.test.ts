import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ConfigError, ERROR_CODES, RuleClashError, SourceError } from './errors.js';

test('every error code is documented in README.md "Errors", and every documented code exists', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Errors'),
    readme.indexOf('\n## ', readme.indexOf('## Errors') + 1),
  );
  const documented = [...section.matchAll(/`(MA_ERR_[A-Z_]+)`/g)].map((m) => m[1]).sort();
  assert.deepEqual([...new Set(documented)], Object.keys(ERROR_CODES).sort());
});

test('errors carry their code and the setting or reason', () => {
  const c = new ConfigError('--listen', 'bad');
  assert.equal(c.code, 'MA_ERR_CONFIG');
  assert.equal(c.setting, '--listen');
  assert.match(c.message, /^invalid configuration: --listen: bad$/);
  assert.equal(new RuleClashError('x').code, 'MA_ERR_RULE_CLASH');
  assert.equal(new SourceError('timeout', 'slow').reason, 'timeout');
});
