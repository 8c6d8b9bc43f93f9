/**
 * The catalog runs each podbay/* image from the checkout, as its Dockerfile runs it in a real
 * image: the Node flags and environment an image sets (e.g. the log shipper's heap limits, which keep
 * it inside the seed's 128 Mi) must be the ones the catalog entry passes, or a pod on podbay would
 * behave differently from the same pod on a cluster.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findRepoRoot, ImageCatalog } from './catalog.js';

const repoRoot = findRepoRoot();

/** The node flags of a Dockerfile's exec-form ENTRYPOINT, or CMD without one (empty when it runs a bin script). */
function dockerfileNodeFlags(dockerfile: string): string[] {
  const text = readFileSync(dockerfile, 'utf8');
  const line = (/^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(text) ?? /^CMD\s+(\[.*\])\s*$/m.exec(text))?.[1];
  assert.ok(line, `${dockerfile}: no exec-form ENTRYPOINT or CMD`);
  const argv = JSON.parse(line) as string[];
  return argv[0] === 'node' ? argv.filter((a) => a.startsWith('--')) : [];
}

/** The ENV of the Dockerfile's last stage (the image that runs), as NAME → value. */
function runtimeStageEnv(dockerfile: string): Record<string, string> {
  const text = readFileSync(dockerfile, 'utf8');
  const lastStage = text.slice(text.lastIndexOf('\nFROM '));
  const env: Record<string, string> = {};
  for (const m of lastStage.matchAll(/^ENV\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/gm)) env[m[1]!] = m[2]!;
  return env;
}

test("each podbay image's catalog entry passes the Node flags and env its Dockerfile sets", async () => {
  const dataDir = mkdtempSync('/tmp/podbay-catalog-');
  try {
    const catalog = await ImageCatalog.load({ dataDir, repoRoot });
    const images = readdirSync(join(repoRoot, 'images')).filter((n) =>
      existsSync(join(repoRoot, 'images', n, 'Dockerfile')),
    );
    assert.ok(images.includes('log-shipper'));
    for (const name of images) {
      const entry = catalog.resolve(`podbay/${name}`);
      const catalogFlags =
        entry.entrypoint[0] === 'node' ? entry.entrypoint.filter((a) => a.startsWith('--')) : [];
      const dockerfile = join(repoRoot, 'images', name, 'Dockerfile');
      assert.deepEqual(catalogFlags, dockerfileNodeFlags(dockerfile), `${name}: node flags`);
      assert.deepEqual(
        Object.fromEntries(entry.env.map((e) => [e.name, e.value])),
        runtimeStageEnv(dockerfile),
        `${name}: env`,
      );
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
