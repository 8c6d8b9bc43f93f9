#!/usr/bin/env bash
# Everything a fresh Debian machine needs before podbay runs or its tests do:
# system packages, the npm dependencies from the lockfile, and the TypeScript build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build --silent
