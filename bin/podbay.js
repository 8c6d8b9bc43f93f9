#!/usr/bin/env node
// The package bin: runs the compiled CLI. `npm run build` (part of the README's set-up) makes dist/ and
// bundles the CLI (scripts/bundle-cli.sh), which starts the engine ~100 ms sooner than ~400 modules. A
// bundle older than the last TypeScript build (`tsc` run without `npm run build`) would be stale: then
// the compiled modules run.
import { statSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const mtime = (path) => statSync(new URL(path, dist), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const fresh = mtime('src/cli/podbay.bundle.js') >= mtime('.tsbuildinfo');
await import(fresh ? '../dist/src/cli/podbay.bundle.js' : '../dist/src/cli/main.js');
