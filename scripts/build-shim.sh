#!/usr/bin/env bash
# Builds podbay-shim, the per-container monitor (src/runtime/shim/podbay-shim.c says why it is C),
# with the machine's gcc into dist/bin/podbay-shim. Idempotent; rebuilds only when a source is newer.
set -euo pipefail
cd "$(dirname "$0")/.."
src=src/runtime/shim
out=dist/bin/podbay-shim
mkdir -p dist/bin
if [ -x "$out" ] && [ -z "$(find "$src" -newer "$out" -name '*.[ch]' | head -1)" ]; then
  exit 0
fi
gcc -std=c11 -O2 -Wall -Wextra -Werror -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
  -o "$out.tmp" "$src"/*.c
mv "$out.tmp" "$out"
