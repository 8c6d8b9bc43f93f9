/**
 * The binary's contract: configuration errors fail at start (exit 2) with a message naming the
 * setting; clashing rules name both rules; bad requests never crash it; SIGTERM stops it cleanly and
 * quickly, finishing a scrape in flight; `npx metrics-adapter` works from the repository root.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AdapterProcess, scrape } from './helpers/adapter-process.js';
import { LegacyApp, SEED_STATS } from './helpers/legacy-app.js';
import { tempDir } from './helpers/ports-and-dirs.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

describe('configuration errors fail at start, naming the setting', () => {
  const dir = tempDir('cli');
  after(() => dir.remove());
  const rules = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  const cases: Array<[string, () => string[], NodeJS.ProcessEnv, RegExp]> = [
    ['no source', () => [], {}, /--source: is required/],
    ['bad listen', () => ['--source', 'x', '--listen', 'nope'], {}, /--listen: "nope" is not HOST:PORT/],
    [
      'bad timeout from env',
      () => ['--source', 'x'],
      { METRICS_ADAPTER_TIMEOUT: 'soon' },
      /\$METRICS_ADAPTER_TIMEOUT: "soon" is not a duration/,
    ],
    ['unknown flag', () => ['--source', 'x', '--sauce', 'y'], {}, /command line: .*sauce/],
    ['bad scheme', () => ['--source', 'ftp://h/x'], {}, /--source: .*scheme must be http, https or file/],
    [
      'textfile not .prom',
      () => ['--source', 'x', '--textfile', '/tmp/out.txt'],
      {},
      /--textfile: must end in \.prom/,
    ],
    [
      'textfile dir missing',
      () => ['--source', 'x', '--textfile', '/nonexistent-dir/a.prom'],
      {},
      /--textfile: directory \/nonexistent-dir/,
    ],
    [
      'rules file missing',
      () => ['--source', 'x', '--rules', '/nonexistent.yaml'],
      {},
      /--rules: cannot read \/nonexistent\.yaml: ENOENT/,
    ],
    [
      'rules not YAML',
      () => ['--source', 'x', '--rules', rules('bad.yaml', 'mappings: [\n')],
      {},
      /--rules: .* is not valid YAML/,
    ],
    [
      'misspelt rule key',
      () => ['--source', 'x', '--rules', rules('typo.yaml', 'mappings:\n  - match: a\n    lables: {k: v}\n')],
      {},
      /--rules mappings\[0\]\.lables: unknown key/,
    ],
    [
      'clashing rules',
      () => [
        '--source',
        'x',
        '--rules',
        rules(
          'clash.yaml',
          'mappings:\n  - match: a\n    name: x\n    type: gauge\n  - match: b\n    name: x\n    type: untyped\n',
        ),
      ],
      {},
      /clashing mapping rules: mappings\[0\] \(match "a"\) and mappings\[1\] \(match "b"\) both produce legacy_x with different types/,
    ],
    [
      'bad prefix',
      () => ['--source', 'x', '--prefix', '1abc'],
      {},
      /--prefix: "1abc" is not a valid metric name prefix/,
    ],
  ];
  for (const [what, args, env, re] of cases) {
    test(what, async () => {
      const res = await AdapterProcess.run(args(), env);
      assert.equal(res.code, 2, res.stderr);
      assert.match(res.stderr, re);
      assert.ok(!res.stderr.includes('    at '), 'no stack trace for a configuration error');
    });
  }

  test('a port in use names --listen', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const res = await AdapterProcess.run(['--source', 'x', '--listen', `127.0.0.1:${port}`]);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /--listen: cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });
});

describe('serving and shutdown', () => {
  let app: LegacyApp;
  before(async () => {
    app = await LegacyApp.start();
  });
  after(async () => {
    await app?.close();
  });

  test('bad requests never crash it', async () => {
    const adapter = await AdapterProcess.start(['--source', app.url]);
    try {
      assert.equal((await fetch(`http://127.0.0.1:${adapter.port}/metrics`, { method: 'POST' })).status, 405);
      assert.equal((await scrape(`http://127.0.0.1:${adapter.port}/nope`)).status, 404);
      assert.equal((await scrape(`http://127.0.0.1:${adapter.port}/healthz`)).status, 200);
      await new Promise<void>((resolve) => {
        const sock = net.connect(adapter.port, '127.0.0.1', () =>
          sock.end('\u0000\u0001GARBAGE / HTTP/9\r\n\r\n'),
        );
        sock.on('close', () => resolve());
        sock.on('error', () => resolve());
        sock.resume();
      });
      const res = await scrape(adapter.metricsUrl, 'application/openmetrics-text;q=banana');
      assert.equal(res.status, 200);
      assert.equal(adapter.child.exitCode, null);
    } finally {
      await adapter.stop();
    }
  });

  test('SIGTERM exits 0 quickly', async () => {
    const adapter = await AdapterProcess.start(['--source', app.url]);
    await scrape(adapter.metricsUrl);
    const res = await adapter.stop();
    assert.equal(res.code, 0, res.stderr);
    assert.ok(res.ms < 1_000, `took ${res.ms} ms`);
    assert.match(res.stderr, /"msg":"stopped"/);
  });

  test('SIGTERM during a slow scrape: the scrape completes, then the process exits', async () => {
    app.behaviour = { kind: 'slow', body: SEED_STATS, delayMs: 700 };
    const adapter = await AdapterProcess.start(['--source', app.url, '--timeout', '2s']);
    try {
      const inFlight = scrape(adapter.metricsUrl);
      await new Promise((r) => setTimeout(r, 200));
      const stopped = adapter.stop();
      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.match(res.body, /^legacy_requests_total 1241$/m);
      const exit = await stopped;
      assert.equal(exit.code, 0);
      assert.ok(exit.ms < 2_000, `took ${exit.ms} ms`);
    } finally {
      app.behaviour = { kind: 'ok', body: SEED_STATS };
    }
  });

  test('npx metrics-adapter runs from the repository root', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        'npx',
        ['--no-install', 'metrics-adapter', '--help'],
        { cwd: REPO_ROOT, timeout: 30_000 },
        (err, stdout) => (err ? reject(err) : resolve(stdout)),
      );
    });
    assert.match(out, /Usage: metrics-adapter --source URL\|FILE/);
  });
});
