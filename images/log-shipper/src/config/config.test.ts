import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, ShipperError } from '../errors.js';
import { outputFromSpec, parseFlags } from './flags.js';
import { loadConfig } from './load.js';
import { validateConfig } from './validate.js';

const MIN = { inputs: [{ path: '/var/log/nginx/*.log' }], outputs: [{ type: 'stdout' }] };

function keyOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.equal(err.code, 'LS_ERR_CONFIG');
    return err.key;
  }
  assert.fail('expected a ConfigError');
}

describe('validateConfig', () => {
  test('defaults match the documented ones', () => {
    const c = validateConfig(MIN, {});
    assert.equal(c.stateDir, '/var/lib/log-shipper');
    assert.deepEqual(c.inputs[0]!.parser, { kind: 'nginx' });
    assert.equal(c.inputs[0]!.readFrom, 'head');
    assert.equal(c.inputs[0]!.maxLineBytes, 102_400);
    assert.deepEqual(c.batch, { maxEvents: 5000, maxBytes: 1024 * 1024, timeoutMs: 1000 });
    assert.equal(c.metricsListen, '0.0.0.0:2020');
    assert.equal(c.buffer.maxDiskBytes, 256 * 1024 * 1024);
  });

  test('errors name the offending key', () => {
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, inputs: [] }, {})),
      'inputs',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, inputs: [{ path: 'rel/*.log' }] }, {})),
      'inputs[0].paths[0]',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, outputs: [{ type: 'http' }] }, {})),
      'outputs[0].url',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, outputs: [{ type: 'http', url: 'ftp://x' }] }, {})),
      'outputs[0].url',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, outputs: [{ type: 'kafka' }] }, {})),
      'outputs[0].type',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, batch: { max_bytes: '1Tb' } }, {})),
      'batch.max_bytes',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, batch: { timeout: 'soon' } }, {})),
      'batch.timeout',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, stat_dir: '/x' }, {})),
      'stat_dir',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, inputs: [{ path: '/a', parser: 'regex:(' }] }, {})),
      'inputs[0].parser',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, inputs: [{ path: '/a', parser: 'regex:a+' }] }, {})),
      'inputs[0].parser',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, outputs: [{ type: 'syslog', address: 'host-only' }] }, {})),
      'outputs[0].address',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, retry: { initial_backoff: '10s', max_backoff: '1s' } }, {})),
      'retry.max_backoff',
    );
    assert.equal(
      keyOf(() => validateConfig({ ...MIN, outputs: [{ type: 'stdout' }, { type: 'stdout' }] }, {})),
      'outputs[1].name',
    );
  });

  test('sizes and durations accept units', () => {
    const c = validateConfig(
      {
        ...MIN,
        batch: { max_bytes: '512Ki', timeout: '250ms' },
        buffer: { max_disk_bytes: '1Gi' },
        inputs: [{ path: '/a', rotate_wait: '2s' }],
      },
      {},
    );
    assert.equal(c.batch.maxBytes, 512 * 1024);
    assert.equal(c.batch.timeoutMs, 250);
    assert.equal(c.buffer.maxDiskBytes, 1024 ** 3);
    assert.equal(c.inputs[0]!.rotateWaitMs, 2000);
  });

  test('loki and elasticsearch URLs get their default paths', () => {
    const c = validateConfig(
      {
        ...MIN,
        outputs: [
          { type: 'loki', url: 'http://loki:3100' },
          { type: 'elasticsearch', url: 'http://es:9200' },
        ],
      },
      {},
    );
    const [loki, es] = c.outputs;
    assert.ok(loki?.type === 'http' && es?.type === 'http');
    assert.equal(loki.url, 'http://loki:3100/loki/api/v1/push');
    assert.equal(loki.format, 'loki');
    assert.equal(es.url, 'http://es:9200/_bulk');
  });

  test('enrichment reads the downward-API env, names overridable', () => {
    const env = { POD_NAME: 'web-1', POD_NAMESPACE: 'development', MY_NODE: 'n1' };
    const c = validateConfig({ ...MIN, enrich: { node_env: 'MY_NODE' } }, env);
    assert.deepEqual(c.enrich, { pod: 'web-1', namespace: 'development', node: 'n1' });
  });
});

describe('flags', () => {
  test('the fluent-bit-like one-liner', () => {
    const f = parseFlags([
      '--input',
      '/var/log/nginx/*.log',
      '--parser',
      'combined',
      '--output',
      'stdout',
      '--state',
      '/s',
    ]);
    assert.equal(f.hasInputs, true);
    assert.deepEqual(f.overrides, {
      inputs: [{ paths: ['/var/log/nginx/*.log'], parser: 'combined' }],
      outputs: [{ type: 'stdout', name: 'stdout' }],
      state_dir: '/s',
    });
  });

  test('output specs', () => {
    assert.deepEqual(outputFromSpec('file:/tmp/x', 0, ['file:/tmp/x']), {
      type: 'file',
      name: 'file',
      path: '/tmp/x',
    });
    assert.deepEqual(outputFromSpec('http:http://h/x', 0, ['x']), {
      type: 'http',
      name: 'http',
      url: 'http://h/x',
    });
    assert.deepEqual(outputFromSpec('http://h/x', 0, ['x']), {
      type: 'http',
      name: 'http',
      url: 'http://h/x',
    });
    assert.deepEqual(outputFromSpec('loki:http://l:3100', 0, ['x']), {
      type: 'loki',
      name: 'loki',
      url: 'http://l:3100',
    });
    assert.deepEqual(outputFromSpec('es:http://e:9200', 0, ['x']), {
      type: 'elasticsearch',
      name: 'elasticsearch',
      url: 'http://e:9200',
    });
    assert.deepEqual(outputFromSpec('syslog:127.0.0.1:514', 0, ['x']), {
      type: 'syslog',
      name: 'syslog',
      address: '127.0.0.1:514',
    });
    assert.equal(outputFromSpec('stdout', 1, ['file:/a', 'stdout']).name, 'stdout');
    assert.equal(outputFromSpec('file:/b', 1, ['file:/a', 'file:/b']).name, 'file-1');
    assert.throws(
      () => outputFromSpec('kafka:x', 0, ['x']),
      (e: unknown) => e instanceof ShipperError && e.code === 'LS_ERR_FLAG',
    );
  });

  test('unknown flags fail with LS_ERR_FLAG naming the flag', () => {
    assert.throws(
      () => parseFlags(['--inptu', 'x']),
      (e: unknown) => e instanceof ShipperError && e.code === 'LS_ERR_FLAG' && /inptu/.test(e.message),
    );
  });
});

describe('loadConfig sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ls-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('--config YAML, with flags overriding', () => {
    const file = join(dir, 'c.yaml');
    writeFileSync(
      file,
      'inputs:\n  - path: /var/log/nginx/*.log\noutputs:\n  - type: stdout\nstate_dir: /a\n',
    );
    const l = loadConfig(['-c', file, '--state', '/b', '--parser', 'json'], {});
    assert.equal(l.config.stateDir, '/b');
    assert.deepEqual(l.config.inputs[0]!.parser, { kind: 'json' });
    assert.deepEqual(l.config.inputs[0]!.paths, ['/var/log/nginx/*.log']);
  });

  test('bad YAML and missing files name the setting', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'inputs: [\n');
    assert.throws(() => loadConfig(['-c', bad], {}), /LS_ERR|configuration file unusable: --config=/);
    assert.throws(
      () => loadConfig([], { LOG_SHIPPER_CONFIG: join(dir, 'none.yaml') }),
      /LOG_SHIPPER_CONFIG=/,
    );
  });

  test("the seed's FLUENT_CONF naming no file falls back to the nginx → stdout default, with a warning", () => {
    const l = loadConfig([], { FLUENT_CONF: 'fluent-bit.conf', FLUENT_OPT: '--verbose' });
    assert.equal(l.source, 'built-in default');
    assert.match(l.warnings[0] ?? '', /FLUENT_CONF=fluent-bit.conf/);
    assert.equal(l.config.logLevel, 'debug');
    assert.deepEqual(l.config.inputs[0]!.paths, ['/var/log/nginx/*.log']);
    assert.equal(l.config.outputs[0]!.type, 'stdout');
  });

  test('FLUENT_CONF as an absolute path to YAML is read', () => {
    const file = join(dir, 'fb.yaml');
    writeFileSync(file, 'inputs:\n  - path: /x/*.log\noutputs:\n  - type: stdout\n');
    assert.deepEqual(loadConfig([], { FLUENT_CONF: file }).config.inputs[0]!.paths, ['/x/*.log']);
  });
});
