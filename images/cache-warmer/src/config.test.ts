import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TIMEOUT_MS, parseArgs } from './config.js';
import { ConfigError } from './errors.js';

test('seed environment and flags', () => {
  const r = parseArgs(['--file', '/config/entries.yaml', '--timeout=2m'], {
    REDIS_HOST: 'redis.database.svc',
    REDIS_PORT: '6380',
  });
  assert.deepEqual(r, {
    kind: 'run',
    config: {
      file: '/config/entries.yaml',
      timeoutMs: 120_000,
      host: 'redis.database.svc',
      port: 6380,
      db: 0,
      dryRun: false,
    },
  });
  const d = parseArgs(['-f', 'x.json'], {});
  assert.equal(d.kind === 'run' && d.config.timeoutMs, DEFAULT_TIMEOUT_MS);
  assert.equal(d.kind === 'run' && d.config.host, 'localhost');
});

test('bad settings are named', () => {
  const setting = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    try {
      parseArgs(argv, env);
      return 'no error';
    } catch (e) {
      assert.ok(e instanceof ConfigError);
      return e.setting;
    }
  };
  assert.equal(setting([]), '--file');
  assert.equal(setting(['--file', 'x', '--timeout', 'forever']), '--timeout');
  assert.equal(setting(['--file', 'x'], { REDIS_PORT: '6379x' }), 'REDIS_PORT');
  assert.equal(setting(['--file', 'x'], { REDIS_DB: '-1' }), 'REDIS_DB');
  assert.equal(setting(['--file']), '--file');
  assert.equal(setting(['--nope']), '--nope');
});
