#!/usr/bin/env bash
# The podbay command as one ESM bundle with lazily loaded chunks (the node agent, the PKI generator):
# Node's ESM loader pays a few hundred microseconds per module, and the engine is ~400 small modules,
# so the bundle brings a restart to /readyz from ~300 ms to ~190 ms (bench/api.ts). Packages stay
# external (node_modules as installed; better-sqlite3 is native). The chunks sit beside the entry in
# dist/src/cli, so every path the code derives from import.meta.url resolves as from the modules.
# bin/podbay.js runs the modules instead when the bundle is older than the last TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f dist/src/cli/podbay.bundle*.js
node_modules/.bin/esbuild dist/src/cli/main.js --bundle --splitting --platform=node --format=esm \
  --packages=external --outdir=dist/src/cli --entry-names=podbay.bundle \
  --chunk-names='podbay.bundle-[hash]' --log-level=warning
