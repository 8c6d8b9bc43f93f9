#!/usr/bin/env bash
# The main job, until the four patterns run end to end: set the machine up, start
# `podbay server` in the background (unless it already runs), and walk through the
# kubectl workflow against it. The server keeps running afterwards; the last lines say
# how to use it and how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

DATA_DIR="${PODBAY_DATA_DIR:-/var/lib/podbay}"
LISTEN="${PODBAY_LISTEN:-127.0.0.1:6443}"
KUBECONFIG="$DATA_DIR/kubeconfig"
PIDFILE="$DATA_DIR/server.pid"
LOG="$DATA_DIR/server.log"
export KUBECONFIG
mkdir -p "$DATA_DIR"

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
  echo "podbay server already running (pid $(cat "$PIDFILE"))"
else
  rm -f "$KUBECONFIG"
  nohup node bin/podbay.js server --data-dir "$DATA_DIR" --listen "$LISTEN" >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 200); do [ -f "$KUBECONFIG" ] && break; sleep 0.05; done
  [ -f "$KUBECONFIG" ] || { echo "podbay server did not start; see $LOG" >&2; exit 1; }
  echo "podbay server started (pid $(cat "$PIDFILE")), log: $LOG"
fi

run() { printf '\n$ %s\n' "$*"; "$@"; }
run kubectl get nodes -o wide
run kubectl apply -f examples/quickstart.yaml
run kubectl get deploy,rs,pods,svc,cm -n quickstart --show-labels
run kubectl describe deployment web -n quickstart
run kubectl scale deployment web -n quickstart --replicas=3
run kubectl get pods -n quickstart -o wide
run kubectl get events -n quickstart

cat <<MSG

podbay is running. Use it with:
  export KUBECONFIG=$KUBECONFIG
  kubectl get all -A
Pods stay Pending until the pod runtime lands. Stop the server with:
  kill \$(cat $PIDFILE)
MSG
