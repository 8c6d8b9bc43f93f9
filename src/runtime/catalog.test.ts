import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findRepoRoot, ImageCatalog, normalizeReference, parseCatalog, patternMatches } from './catalog.js';
import { ImageNotFoundError } from './errors.js';

const repoRoot = findRepoRoot();

test('references normalise like Docker', () => {
  assert.deepEqual(normalizeReference('nginx'), { repo: 'nginx', tag: 'latest' });
  assert.deepEqual(normalizeReference('docker.io/library/redis:7.2'), { repo: 'redis', tag: '7.2' });
  assert.deepEqual(normalizeReference('prom/node-exporter@sha256:ab'), {
    repo: 'prom/node-exporter',
    tag: 'sha256:ab',
  });
  assert.deepEqual(normalizeReference('localhost:5000/x/y:1'), { repo: 'localhost:5000/x/y', tag: '1' });
  assert.ok(patternMatches('migrate/migrate:*', 'migrate/migrate:v4.17.0'));
  assert.ok(!patternMatches('migrate/migrate:v5*', 'migrate/migrate:v4.17.0'));
  assert.ok(!patternMatches('redis', 'redis-exporter'));
});

test('the repository catalog has every required image and resolves them', async () => {
  const dataDir = mkdtempSync('/tmp/podbay-catalog-');
  try {
    const c = await ImageCatalog.load({ dataDir, repoRoot });
    for (const ref of [
      'nginx:1.27',
      'redis:7',
      'postgres:16',
      'haproxy:2.9',
      'busybox',
      'node:20',
      'prom/node-exporter:v1.8.0',
      // the seed's names for the demo apps
      'web-app:v2.0',
      'legacy-app:v1.0',
    ]) {
      assert.doesNotThrow(() => c.resolve(ref), ref);
    }
    for (const name of [
      'redis-ambassador',
      'log-shipper',
      'metrics-adapter',
      'migrate',
      'cache-warmer',
      'web-app',
      'legacy-app',
    ]) {
      const img = c.resolve(`podbay/${name}:latest`);
      assert.equal(img.entrypoint[0], 'node');
      assert.equal(img.entrypoint.at(-1), join(repoRoot, 'images', name, 'bin', `${name}.js`));
    }
    const migrate = c.resolve('migrate/migrate:v4.17.0');
    assert.equal(migrate.pattern, 'migrate/migrate:*');
    assert.deepEqual(migrate.entrypoint, c.resolve('podbay/migrate').entrypoint);
    const pg = c.resolve('postgres:16');
    assert.equal(pg.stopSignal, 'SIGINT');
    assert.ok(pg.env.some((e) => e.name === 'PGDATA'));
    assert.equal(c.resolve('nginx').stopSignal, 'SIGQUIT');
    assert.throws(
      () => c.resolve('quay.io/acme/unknown:1'),
      (e: unknown) =>
        e instanceof ImageNotFoundError &&
        e.message.includes('"quay.io/acme/unknown:1"') &&
        e.message.includes(join(dataDir, 'images', 'catalog.yaml')),
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("the user's catalog in the data dir adds entries and takes precedence", async () => {
  const dataDir = mkdtempSync('/tmp/podbay-catalog-');
  try {
    mkdirSync(join(dataDir, 'images'));
    writeFileSync(
      join(dataDir, 'images', 'catalog.yaml'),
      'images:\n  - pattern: acme/*\n    cmd: [sleep, infinity]\n  - pattern: nginx\n    cmd: [nginx-debug]\n',
    );
    const c = await ImageCatalog.load({ dataDir, repoRoot });
    assert.deepEqual(c.resolve('acme/thing:2').cmd, ['sleep', 'infinity']);
    assert.deepEqual(c.resolve('nginx').cmd, ['nginx-debug']);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('invalid catalogs name the entry and field', () => {
  assert.throws(() => parseCatalog('images: {}', 'f.yaml', '/r'), /^.*f\.yaml: images: must be a list/);
  assert.throws(
    () => parseCatalog('images:\n  - cmd: [x]\n', 'f.yaml', '/r'),
    /f\.yaml: images\[0\]\.pattern: required string/,
  );
  assert.throws(
    () => parseCatalog('images:\n  - pattern: a\n    cmd: x\n', 'f.yaml', '/r'),
    /images\[0\]\.cmd: must be a list of strings/,
  );
  assert.throws(
    () => parseCatalog('images:\n  - pattern: a\n    stopsignal: TERM\n', 'f.yaml', '/r'),
    /images\[0\]\.stopsignal: unknown field/,
  );
  assert.throws(
    () => parseCatalog('images:\n  - pattern: a\n    stopSignal: TERM\n', 'f.yaml', '/r'),
    /stopSignal/,
  );
});
