#!/usr/bin/env node
// Runs every compiled test file with Node's built-in runner, whose closing summary CI reads.
// Usage: node scripts/test.mjs [PATH_PREFIX...]  — only test files under these prefixes
// (source paths work too: `images/log-shipper` or `src/store`). Build first (`npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const roots = [join(root, 'dist')];
// Each workspace (images/*, packages/*) compiles its own tests into its own dist/.
for (const ws of ['images', 'packages']) {
  for (const name of existsSync(join(root, ws)) ? readdirSync(join(root, ws)) : []) {
    roots.push(join(root, ws, name, 'dist'));
  }
}

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

// dist/src/store/x.test.js -> src/store/x.test.js; images/a/dist/src/y.test.js -> images/a/src/y.test.js
// (packages/b/dist/src/z.test.js -> packages/b/src/z.test.js)
const sourcePath = (f) =>
  relative(root, f)
    .replace(/^dist\//, '')
    .replace(/\/dist\//, '/');
const prefixes = process.argv.slice(2).map((p) => p.replace(/^\.\//, ''));
const files = roots
  .flatMap((r) => walk(r, []))
  .filter((f) => prefixes.length === 0 || prefixes.some((p) => sourcePath(f).startsWith(p)))
  .sort();

if (files.length === 0) {
  console.error('test: no compiled test files found (run `npm run build` first)');
  process.exit(1);
}
const res = spawnSync(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-concurrency=1', '--test-timeout=600000', ...files],
  { stdio: 'inherit', cwd: root },
);
process.exit(res.status ?? 1);
