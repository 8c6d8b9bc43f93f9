import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_MANIFESTS, parseDownArgs, parseStatusArgs, parseUpArgs } from './up-args.js';
import { parseDuration, UsageError } from './usage-error.js';

let cwd = '';
before(() => {
  cwd = mkdtempSync(join(tmpdir(), 'podbay-upargs-'));
  writeFileSync(join(cwd, 'pod.yaml'), 'kind: Pod\n');
  mkdirSync(join(cwd, 'kust'));
  writeFileSync(join(cwd, 'kust', 'kustomization.yaml'), 'resources: []\n');
  mkdirSync(join(cwd, 'plain'));
});
after(() => rmSync(cwd, { recursive: true, force: true }));

describe('parseUpArgs', () => {
  test('defaults: the four patterns, 5 minutes, /var/lib/podbay, kubeconfig merged', () => {
    const o = parseUpArgs([], cwd);
    assert.deepEqual(o.sources, [{ kind: 'kustomize', path: DEFAULT_MANIFESTS }]);
    assert.equal(o.timeoutMs, 300_000);
    assert.equal(o.dataDir, '/var/lib/podbay');
    assert.equal(o.listen, '127.0.0.1:6443');
    assert.equal(o.mergeKubeconfig, true);
  });

  test('-f and -k keep command-line order, paths resolve against the working directory', () => {
    const o = parseUpArgs(
      ['-k', 'kust', '-f', 'pod.yaml', '--filename=plain', '--no-kubeconfig', '--data-dir', 'd'],
      cwd,
    );
    assert.deepEqual(o.sources, [
      { kind: 'kustomize', path: join(cwd, 'kust') },
      { kind: 'file', path: join(cwd, 'pod.yaml') },
      { kind: 'file', path: join(cwd, 'plain') },
    ]);
    assert.equal(o.mergeKubeconfig, false);
    assert.equal(o.dataDir, join(cwd, 'd'));
  });

  const usage: [string[], RegExp][] = [
    [['-f', 'missing.yaml'], /^-f .*missing\.yaml: no such file or directory$/],
    [['-k', 'pod.yaml'], /^-k .*pod\.yaml: not a directory/],
    [['-k', 'plain'], /^-k .*plain: no kustomization\.yaml in it/],
    [['--kustomize', 'plain'], /^--kustomize .*plain: no kustomization/],
    [['--timeout', 'soon'], /^--timeout: invalid duration "soon"/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['-f'], /argument missing/],
  ];
  for (const [argv, message] of usage) {
    test(`usage error: ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseUpArgs(argv, cwd),
        (e: unknown) =>
          e instanceof UsageError && message.test(e.message) && e.usage.startsWith('Usage: podbay up'),
      );
    });
  }
});

test('status and down flags', () => {
  assert.deepEqual(parseStatusArgs(['--data-dir', '/d'], cwd), { dataDir: '/d' });
  assert.deepEqual(parseDownArgs([], cwd), { dataDir: '/var/lib/podbay', purge: false });
  assert.deepEqual(parseDownArgs(['--purge', '--data-dir=x'], cwd), { dataDir: join(cwd, 'x'), purge: true });
  assert.throws(() => parseDownArgs(['--force'], cwd), UsageError);
  assert.throws(() => parseStatusArgs(['extra'], cwd), UsageError);
});

test('parseDuration: Go-style durations; a bare number is seconds', () => {
  const table: [string, number][] = [
    ['90s', 90_000],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['250ms', 250],
    ['45', 45_000],
  ];
  for (const [text, ms] of table) assert.equal(parseDuration('--timeout', text, ''), ms, text);
  for (const bad of ['', '0s', '5x', 'm', '1.5m', '-1s']) {
    assert.throws(() => parseDuration('--timeout', bad, ''), /--timeout: invalid duration/, bad);
  }
});
