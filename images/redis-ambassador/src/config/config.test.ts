import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError } from '../errors.js';
import { loadConfig, parseHostList } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'ambassador-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const load = (argv: string[], env: Record<string, string> = {}) => loadConfig({ argv, env });

const failsNaming = (setting: RegExp, argv: string[], env: Record<string, string> = {}): void => {
  assert.throws(
    () => load(argv, env),
    (e: unknown) => e instanceof ConfigError && setting.test(e.message),
  );
};

describe('loadConfig', () => {
  test("the seed's environment alone is enough, with the documented defaults", () => {
    const c = load([], {
      REDIS_MASTER_HOST: 'redis-master.db.svc',
      REDIS_REPLICA_HOST: 'redis-replica.db.svc',
    });
    assert.deepEqual(c.listen, { host: '127.0.0.1', port: 6379 });
    assert.deepEqual(c.masters, [{ host: 'redis-master.db.svc', port: 6379 }]);
    assert.deepEqual(c.replicas, [{ host: 'redis-replica.db.svc', port: 6379 }]);
    assert.equal(c.readYourWrites, true);
    assert.equal(c.healthIntervalMs, 1000);
    assert.equal(c.readPolicy, 'round-robin');
  });

  test('host lists with ports, IPv6 brackets and per-role default ports', () => {
    const c = load(['--master', 'm1', '--replicas', 'r1:7001, [::1]:7002,r3', '--replica-port', '6380']);
    assert.deepEqual(c.replicas, [
      { host: 'r1', port: 7001 },
      { host: '::1', port: 7002 },
      { host: 'r3', port: 6380 },
    ]);
  });

  test('flags beat env, env beats the config file', () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(file, 'master: from-file\nreadPolicy: least-outstanding\nmaxLagBytes: 10\n');
    const c = load(['--config', file, '--max-lag-bytes', '20'], { REDIS_MASTER_HOST: 'from-env' });
    assert.equal(c.masters[0]!.host, 'from-env');
    assert.equal(c.readPolicy, 'least-outstanding');
    assert.equal(c.maxLagBytes, 20);
  });

  test('boolean flags stand alone or take a value', () => {
    assert.equal(load(['--master', 'm', '--read-your-writes', '--tls']).tls !== undefined, true);
    assert.equal(load(['--master', 'm', '--read-your-writes', 'off']).readYourWrites, false);
    assert.equal(load(['--master', 'm', '--read-your-writes=no']).readYourWrites, false);
  });

  test('password file is read and its trailing newline dropped', () => {
    const file = join(dir, 'pw');
    writeFileSync(file, 's3cret\n');
    assert.equal(load(['--master', 'm', '--password-file', file]).password, 's3cret');
  });

  test('bad settings fail at start, naming the setting', () => {
    failsNaming(/REDIS_MASTER_HOST/, []);
    failsNaming(/--health-interval-ms/, ['--master', 'm', '--health-interval-ms', 'soon']);
    failsNaming(/REDIS_REPLICA_HOST.*invalid port "x"/, ['--master', 'm', '--replicas', 'r:x']);
    failsNaming(/AMBASSADOR_READ_POLICY.*one of round-robin, least-outstanding/, ['--master', 'm'], {
      AMBASSADOR_READ_POLICY: 'random',
    });
    failsNaming(/REDIS_PASSWORD_FILE/, ['--master', 'm', '--password-file', join(dir, 'missing')]);
    failsNaming(/REDIS_TLS/, ['--master', 'm', '--tls-ca-file', '/etc/hostname']);
    failsNaming(/command line.*--bogus/, ['--master', 'm', '--bogus', '1']);
    failsNaming(/listen/, ['--master', 'm', '--listen', 'nohostport']);
    failsNaming(/--max-query-buffer-bytes.*at least --max-bulk-bytes/, [
      '--master',
      'm',
      '--max-bulk-bytes',
      String(64 * 1024 * 1024),
      '--max-query-buffer-bytes',
      String(8 * 1024 * 1024),
    ]);
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'master: m\nmaxLagByte: 1\n');
    failsNaming(/bad\.yaml: maxLagByte: unknown setting/, ['--config', file]);
  });

  test('parseHostList skips empty entries', () => {
    assert.deepEqual(parseHostList(' a , ,b:1', 9, 'x'), [
      { host: 'a', port: 9 },
      { host: 'b', port: 1 },
    ]);
  });
});
