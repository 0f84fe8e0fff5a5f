#!/usr/bin/env bash
# One cluster on one machine: a 3-member etcd (static bootstrap, etcd's clustering guide) and three
# Badge servers on it, all on loopback ports, everything under DIR.
#
#   scripts/scale-out.sh up DIR [--from-data-dir SRC]   start (SRC: a stopped SQLite server's data dir,
#                                                       moved into the new etcd by badge migrate and
#                                                       served by the first server)
#   scripts/scale-out.sh status DIR                     what runs, etcd's members and health
#   scripts/scale-out.sh down DIR                       stop the servers, then etcd (data kept)
#
# etcd member i (1..3) listens on 127.0.0.1:$ETCD_PORT+10i+1 for clients and +2 for peers (2311/2312,
# 2321/2322, 2331/2332), Badge server i on 127.0.0.1:$BADGE_PORT+i-1 (6443, 6444, 6445) with the node
# name badge-i and the data dir DIR/badge-i (server 1 of a migrated cluster: SRC and its own node). The first server makes the cluster token
# (DIR/badge-1/token); it is copied to DIR/cluster-token for the other two. A second `up` restarts
# what is stopped with the same data.
set -euo pipefail

cmd=${1:-}
[ $# -ge 2 ] || { echo "usage: $0 up|status|down DIR [--from-data-dir SRC]" >&2; exit 2; }
dir=$(realpath -m "$2")
shift 2
from=''
if [ "${1:-}" = --from-data-dir ] && [ -n "${2:-}" ]; then from=$(realpath "$2"); fi
repo=$(cd "$(dirname "$0")/.." && pwd)
NODE=${NODE:-node}
BADGE_CLI=${BADGE_CLI:-$repo/dist/badge.mjs}
ETCD=${ETCD:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL:-/usr/bin/etcdctl}
ETCD_PORT=${ETCD_PORT:-2300}
BADGE_PORT=${BADGE_PORT:-6443}

client_url() { echo "http://127.0.0.1:$((ETCD_PORT + 10 * $1 + 1))"; }
peer_url() { echo "http://127.0.0.1:$((ETCD_PORT + 10 * $1 + 2))"; }
endpoints="$(client_url 1),$(client_url 2),$(client_url 3)"
data_dir() { if [ "$1" = 1 ] && [ -n "$from" ]; then echo "$from"; elif [ "$1" = 1 ] && [ -f "$dir/badge-1.data-dir" ]; then cat "$dir/badge-1.data-dir"; else echo "$dir/badge-$1"; fi; }

running() { [ -f "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

# Starts a process in its own session, its output in DIR/NAME.log, its pid in DIR/NAME.pid.
launch() {
  local name=$1
  shift
  setsid "$@" </dev/null >>"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

# Waits (up to 60 s) until NAME's log has a line matching PATTERN; fails with its log if it exits.
wait_for() {
  local name=$1 pattern=$2
  for _ in $(seq 600); do
    grep -q "$pattern" "$dir/$name.log" && return 0
    running "$name" || { echo "$name exited:" >&2; tail -20 "$dir/$name.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$name is not ready after 60 s:" >&2
  tail -20 "$dir/$name.log" >&2
  return 1
}

# Stops NAME (SIGTERM, then SIGKILL after 30 s) and waits for it to exit.
stop() {
  local name=$1
  running "$name" || { rm -f "$dir/$name.pid"; return 0; }
  local pid
  pid=$(cat "$dir/$name.pid")
  kill -TERM "$pid"
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$dir/$name.pid"
  echo "stopped $name"
}

up() {
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -f "$dir/etcd-token" ] || echo "badge-scale-out-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')" >"$dir/etcd-token"
  local cluster="m1=$(peer_url 1),m2=$(peer_url 2),m3=$(peer_url 3)"
  for i in 1 2 3; do
    running "etcd-m$i" && continue
    : >"$dir/etcd-m$i.log"
    launch "etcd-m$i" "$ETCD" --name "m$i" --data-dir "$dir/etcd/m$i" \
      --listen-client-urls "$(client_url $i)" --advertise-client-urls "$(client_url $i)" \
      --listen-peer-urls "$(peer_url $i)" --initial-advertise-peer-urls "$(peer_url $i)" \
      --initial-cluster "$cluster" --initial-cluster-state new --initial-cluster-token "$(cat "$dir/etcd-token")" \
      --logger zap --log-outputs stderr
  done
  for i in 1 2 3; do wait_for "etcd-m$i" 'published local member to cluster through raft'; done
  echo "etcd: $endpoints"

  if [ -n "$from" ]; then
    [ -f "$dir/badge-1.data-dir" ] && { echo "$dir already has a cluster: --from-data-dir is for its first up" >&2; exit 1; }
    "$NODE" "$BADGE_CLI" migrate --from-data-dir "$from" --etcd-servers "$endpoints"
    echo "$from" >"$dir/badge-1.data-dir"
  fi
  for i in 1 2 3; do
    running "badge-$i" && continue
    local token=()
    if [ "$i" != 1 ]; then
      if [ ! -f "$dir/cluster-token" ]; then
        install -m 600 "$(data_dir 1)/token" "$dir/cluster-token"
      fi
      token=(--cluster-token-file "$dir/cluster-token")
    fi
    # A migrated server keeps its node (named by default, for the host); the others are badge-2, badge-3.
    local node=(--node-name "badge-$i")
    [ "$i" = 1 ] && [ -f "$dir/badge-1.data-dir" ] && node=()
    : >"$dir/badge-$i.log"
    launch "badge-$i" "$NODE" "$BADGE_CLI" server --data-dir "$(data_dir $i)" --port $((BADGE_PORT + i - 1)) "${node[@]}" \
      --storage-backend etcd3 --etcd-servers "$endpoints" "${token[@]}"
    wait_for "badge-$i" 'Badge is ready at'
    grep -h 'Badge is ready at' "$dir/badge-$i.log" | tail -1
  done
  echo "kubeconfig: $(data_dir 1)/kubeconfig.yaml (any server: kubectl --server https://127.0.0.1:$BADGE_PORT … :$((BADGE_PORT + 2)))"
  echo "cluster token: $dir/cluster-token"
}

status() {
  for name in etcd-m1 etcd-m2 etcd-m3 badge-1 badge-2 badge-3; do
    if running "$name"; then echo "$name: running (pid $(cat "$dir/$name.pid"))"; else echo "$name: stopped"; fi
  done
  ETCDCTL_API=3 "$ETCDCTL" --endpoints "$endpoints" endpoint health 2>&1 || true
}

down() {
  for name in badge-3 badge-2 badge-1 etcd-m3 etcd-m2 etcd-m1; do stop "$name"; done
}

case $cmd in
  up) up ;;
  status) status ;;
  down) down ;;
  *) echo "usage: $0 up|status|down DIR [--from-data-dir SRC]" >&2; exit 2 ;;
esac
