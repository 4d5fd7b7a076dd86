#!/usr/bin/env bash
# Starts a Docker Engine for the image tests, installing it when missing.
# Usage: docker.sh [start|stop]
#   start  prints `export DOCKER_HOST=...` on stdout (logs go to stderr); reuses an engine that already answers.
#   stop   stops the engine only if this script started it.
# The engine runs without a bridge network or iptables rules: the sandbox gets no container network on a
# private range, and the tests run the service container with host networking instead.
set -euo pipefail
source "$(dirname "$0")/packages.sh"

state="${BUN_SERVICES_DIR:-/tmp/bun-services}/docker"
socket="unix://$state/docker.sock"
mkdir -p "$state"

answers() { DOCKER_HOST="$1" timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start() {
    for candidate in "${DOCKER_HOST:-}" "$socket" "unix:///var/run/docker.sock"; do
        if [ -n "$candidate" ] && command -v docker >/dev/null && answers "$candidate"; then
            echo "export DOCKER_HOST=$candidate"
            return
        fi
    done

    if ! command -v dockerd >/dev/null; then
        echo "docker.sh: installing docker.io" >&2
        install_packages docker.io
    fi

    echo "docker.sh: starting dockerd on $socket (log: $state/dockerd.log)" >&2
    setsid dockerd --host "$socket" --pidfile "$state/dockerd.pid" --exec-root "$state/exec" \
        --bridge=none --iptables=false --ip-masq=false --ip-forward=false \
        >"$state/dockerd.log" 2>&1 </dev/null &
    echo $! >"$state/started-by-us.pid"

    for _ in $(seq 1 120); do
        if answers "$socket"; then
            echo "export DOCKER_HOST=$socket"
            return
        fi
        sleep 0.5
    done
    echo "docker.sh: dockerd did not answer on $socket within 60 s; last log lines:" >&2
    tail -n 20 "$state/dockerd.log" >&2
    exit 1
}

stop() {
    [ -f "$state/started-by-us.pid" ] || return 0
    local pid
    pid=$(cat "$state/started-by-us.pid")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
    rm -f "$state/started-by-us.pid"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
