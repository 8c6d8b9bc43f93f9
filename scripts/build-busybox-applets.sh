#!/usr/bin/env bash
# Builds dist/images/busybox/bin: one symlink per busybox applet (ps, wget, nc, nslookup, ping, vi, ...)
# pointing at the machine's busybox. The catalog's `busybox` image puts this directory first in PATH, so
# `ps` in a busybox container is busybox's ps (all processes of the PID namespace) and `nc`/`ping` exist,
# as in the real image, instead of whatever the host has under those names. Idempotent.
# Left to the host: wget (Debian bookworm's busybox 1.35 wget segfaults on -T, which `wget -T 2 -qO- svc`
# uses; GNU wget takes the same flags).
set -euo pipefail
cd "$(dirname "$0")/.."
out=dist/images/busybox/bin
bb=$(command -v busybox || true)
if [ -z "$bb" ]; then
  echo "build-busybox-applets: busybox is not installed (scripts/install-deps.sh installs it); skipped" >&2
  exit 0
fi
skip=" wget "
mkdir -p "$out"
rm -f "$out/wget"
for applet in $("$bb" --list); do
  case "$skip" in *" $applet "*) continue ;; esac
  [ "$(readlink "$out/$applet" 2>/dev/null)" = "$bb" ] || ln -sfn "$bb" "$out/$applet"
done
