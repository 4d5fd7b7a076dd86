#!/usr/bin/env bash
# Makes sure the monitoring tests can start their private Prometheus: Debian's prometheus package (2.42) is
# installed. The tests start and stop their own server on a free port with a temp config and storage
# (tests/Bun.Testing/PrometheusServer.cs); nothing is started here.
set -euo pipefail
source "$(dirname "$0")/packages.sh"

if ! command -v prometheus >/dev/null; then
    echo "prometheus: installing prometheus (not on PATH)"
    install_packages prometheus
fi

echo "prometheus: $(prometheus --version 2>&1 | head -n 1); the tests run their own server"
