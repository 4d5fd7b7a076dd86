#!/usr/bin/env bash
# Makes sure the database tests can start their private PostgreSQL 15 server: the server binaries are installed,
# and the non-root user they run as exists (PostgreSQL refuses to run as root). The tests start and stop the
# server themselves (tests/Bun.Testing/PostgresServer.cs); nothing is started here.
set -euo pipefail
source "$(dirname "$0")/packages.sh"

pg_bin=/usr/lib/postgresql/15/bin
pg_user=bunpg

if [[ ! -x "$pg_bin/initdb" ]]; then
    echo "postgres: installing postgresql-15 (no $pg_bin/initdb)"
    install_packages postgresql-15
fi

if [[ "$(id -u)" == 0 ]] && ! id "$pg_user" >/dev/null 2>&1; then
    echo "postgres: creating the system user $pg_user"
    useradd --system --create-home --shell /usr/sbin/nologin "$pg_user"
fi

echo "postgres: $("$pg_bin/postgres" --version); the tests run it as $([[ "$(id -u)" == 0 ]] && echo "$pg_user" || id -un)"
