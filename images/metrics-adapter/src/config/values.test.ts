import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { resolveSettings } from './settings.js';
import { parseBytes, parseDuration, parseListen } from './values.js';

describe('setting values', () => {
  test('durations', () => {
    assert.equal(parseDuration('500ms', '--x'), 500);
    assert.equal(parseDuration('2s', '--x'), 2000);
    assert.equal(parseDuration('1.5', '--x'), 1500);
    assert.equal(parseDuration('1m', '--x'), 60_000);
    assert.throws(() => parseDuration('2h', '--cache'), /--cache: "2h" is not a duration/);
  });
  test('sizes', () => {
    assert.equal(parseBytes('16MiB', '--x'), 16 * 1024 * 1024);
    assert.equal(parseBytes('10', '--x'), 10);
    assert.throws(() => parseBytes('10MB', '--max-bytes'), /--max-bytes/);
  });
  test('listen addresses', () => {
    assert.deepEqual(parseListen(':9090', '--listen'), { host: undefined, port: 9090 });
    assert.deepEqual(parseListen('127.0.0.1:0', '--listen'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListen('[::1]:9090', '--listen'), { host: '::1', port: 9090 });
    assert.throws(() => parseListen('9090', '--listen'), ConfigError);
    assert.throws(() => parseListen(':70000', '--listen'), /above 65535/);
  });
});

describe('resolveSettings', () => {
  test('defaults match the seed pod: :9090, legacy_ prefix, fetch at scrape time', () => {
    const cmd = resolveSettings(['--source', 'http://localhost:8888/admin/stats'], {});
    assert.equal(cmd.kind, 'run');
    if (cmd.kind !== 'run') return;
    assert.deepEqual(cmd.settings.listen, { host: undefined, port: 9090 });
    assert.equal(cmd.settings.prefix, 'legacy_');
    assert.equal(cmd.settings.timeoutMs, 2000);
    assert.equal(cmd.settings.cacheMs, 1000);
    assert.equal(cmd.settings.format, 'auto');
  });
  test('flags win over environment variables', () => {
    const cmd = resolveSettings(['--prefix', 'app_'], {
      METRICS_ADAPTER_SOURCE: '/tmp/s',
      METRICS_ADAPTER_PREFIX: 'env_',
    });
    assert.ok(cmd.kind === 'run' && cmd.settings.prefix === 'app_' && cmd.settings.source === '/tmp/s');
  });
  test('help and version', () => {
    assert.equal(resolveSettings(['-h'], {}).kind, 'help');
    assert.equal(resolveSettings(['--version'], {}).kind, 'version');
  });
});
