#!/usr/bin/env bash
# Starts an OCI registry (distribution's `docker-registry`) for the image tests, installing it when missing.
# Usage: registry.sh [start|stop]
#   start  prints `export BUN_TEST_REGISTRY=127.0.0.1:<port>` on stdout (logs go to stderr); reuses one this
#          script started that still answers.
#   stop   stops the registry this script started.
# Deletes are enabled (cleanup deletes manifests); storage is a throwaway folder.
set -euo pipefail
source "$(dirname "$0")/packages.sh"

state="${BUN_SERVICES_DIR:-/tmp/bun-services}/registry"
mkdir -p "$state"

answers() { curl -fsS -o /dev/null --max-time 2 "http://$1/v2/" 2>/dev/null; }

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Htln "sport = :$port" | grep -q .; then
            echo "$port"
            return
        fi
    done
    echo "registry.sh: no free port found" >&2
    exit 1
}

start() {
    if [ -f "$state/address" ] && answers "$(cat "$state/address")"; then
        echo "export BUN_TEST_REGISTRY=$(cat "$state/address")"
        return
    fi

    if ! command -v docker-registry >/dev/null; then
        echo "registry.sh: installing docker-registry" >&2
        install_packages docker-registry
    fi

    local address
    address="127.0.0.1:$(free_port)"
    rm -rf "$state/storage"
    cat >"$state/config.yml" <<YAML
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $state/storage
  delete:
    enabled: true
http:
  addr: $address
YAML

    echo "registry.sh: starting docker-registry on $address (log: $state/registry.log)" >&2
    setsid docker-registry serve "$state/config.yml" >"$state/registry.log" 2>&1 </dev/null &
    echo $! >"$state/started-by-us.pid"

    for _ in $(seq 1 60); do
        if answers "$address"; then
            echo "$address" >"$state/address"
            echo "export BUN_TEST_REGISTRY=$address"
            return
        fi
        sleep 0.5
    done
    echo "registry.sh: docker-registry did not answer on $address within 30 s; last log lines:" >&2
    tail -n 20 "$state/registry.log" >&2
    exit 1
}

stop() {
    [ -f "$state/started-by-us.pid" ] || return 0
    kill "$(cat "$state/started-by-us.pid")" 2>/dev/null || true
    rm -f "$state/started-by-us.pid" "$state/address"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
