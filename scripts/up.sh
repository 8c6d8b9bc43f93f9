#!/usr/bin/env bash
# The README's first command: set this machine up (Debian packages, npm ci, build; see setup.sh),
# then `podbay up` the seed's four patterns: start the engine in the background unless it already
# runs, apply examples/patterns, wait until every pod is Ready and print the tour. Extra arguments
# go to `podbay up` (e.g. `bash scripts/up.sh --timeout 10m`, or `-f my.yaml` instead of the
# patterns). A second run finds everything in place and returns in seconds.
# Stop everything with: npx podbay down
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node bin/podbay.js up "$@"
