#!/usr/bin/env bash
# Installs every system package podbay, its pattern images and its tests use, from Debian.
# Idempotent: a second run on a machine that has them all does nothing but check.
# The one list of system packages lives here; tests and the runtime's image catalog name
# these packages, never a download.
set -euo pipefail

PACKAGES=(
  # the engine: namespaces, overlay mounts, bridge and nftables, cgroups, process tools
  iproute2 nftables util-linux procps psmisc kmod
  # the C shim (container monitor) is compiled at build time
  gcc libc6-dev
  # images the catalog resolves (their programs come from the host root, read-only)
  redis-server redis-tools postgresql postgresql-client nginx haproxy busybox
  prometheus-node-exporter
  # real peers the tests and benchmarks talk to
  prometheus nutcracker rsyslog curl openssl bind9-dnsutils
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packaged daemons must not start themselves: tests start their own on loopback ports.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Stop any packaged daemon that did start (an earlier install without policy-rc.d), so its
# default ports stay free for the tests' own instances.
for svc in redis-server postgresql nginx haproxy prometheus prometheus-node-exporter nutcracker rsyslog; do
  if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
echo "install-deps: all system packages present"
