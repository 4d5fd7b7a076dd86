#!/usr/bin/env bash
# ResetDummyDatabase against pgbench: bench/database/run.sh [runs]   (default 7 runs of each)
#
#  (a) `./build.sh ResetDummyDatabase --rows 1000000 --skip`: drop and recreate the schema, migrate, seed 1,000,000
#      fake notes by binary COPY — the real target as a whole process, start-up included;
#  (b) `pgbench -i -s 10`: 1,000,000 pgbench_accounts rows loaded with COPY, then vacuum and primary keys;
# on one private PostgreSQL 15 server (initdb in a temp folder, default settings, a free port on 127.0.0.1),
# alternating (a) and (b) so that both see the same load. Prints the medians and the ratio a/b (goal: ≤ 3);
# exit code 1 when the goal is missed. Under root the server runs as bunpg (.ci/services/postgres.sh creates it).
set -euo pipefail

RUNS="${1:-7}"
ROWS=1000000
HERE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PG_BIN="${BUN_PG_BIN:-/usr/lib/postgresql/15/bin}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NO_COLOR=1

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/bun-db-bench.XXXXXX")"
chmod 777 "$SCRATCH"
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u bunpg -- "$@"; else "$@"; fi; }
stop() {
    as_pg "$PG_BIN/pg_ctl" stop -D "$SCRATCH/data" -m immediate -w >/dev/null 2>&1 || true
    rm -rf "$SCRATCH"
}
trap stop EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PASSWORD="bench-$RANDOM$RANDOM"
echo "$PASSWORD" > "$SCRATCH/password" && chmod 644 "$SCRATCH/password"
as_pg "$PG_BIN/initdb" -D "$SCRATCH/data" -U postgres --pwfile="$SCRATCH/password" --auth=scram-sha-256 --encoding=UTF8 --locale=C >/dev/null
as_pg "$PG_BIN/pg_ctl" start -D "$SCRATCH/data" -w -l "$SCRATCH/server.log" \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SCRATCH" >/dev/null
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGPASSWORD="$PASSWORD"
createdb bench_reset
createdb bench_pgbench
export BUN_DATABASE_URL="postgres://postgres:$PASSWORD@127.0.0.1:$PORT/bench_reset"

RESET="$REPO/build.sh ResetDummyDatabase --rows $ROWS --skip"
"$REPO/build.sh" --help >/dev/null  # compiles the build once, outside the timings
PGBENCH="pgbench -i -s 10 -q bench_pgbench"

echo "ResetDummyDatabase benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$PG_BIN/postgres" --version), .NET SDK $(dotnet --version), $RUNS runs"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "(a) $RESET"
echo "(b) $PGBENCH"

time_ms() { # wall time of the command line $1, in ms; its output is discarded, a failure stops the script
    local start end
    start=$(date +%s%N)
    bash -c "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; bash -c "$1" >&2; exit 1; }
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.0f\n", ns / 1e6 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One warm-up of each: the first reset claims the empty database, and both fill the server's caches.
time_ms "$RESET" >/dev/null
time_ms "$PGBENCH" >/dev/null
: > "$SCRATCH/a"; : > "$SCRATCH/b"
for ((run = 1; run <= RUNS; run++)); do
    time_ms "$RESET" >> "$SCRATCH/a"
    time_ms "$PGBENCH" >> "$SCRATCH/b"
done

A="$(median < "$SCRATCH/a")"
B="$(median < "$SCRATCH/b")"
RATIO="$(awk -v a="$A" -v b="$B" 'BEGIN { printf "%.2f", a / b }')"
echo "(a) reset --rows $ROWS: median ${A} ms   runs: $(paste -sd ' ' "$SCRATCH/a")"
echo "(b) pgbench -i -s 10:    median ${B} ms   runs: $(paste -sd ' ' "$SCRATCH/b")"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
if awk -v r="$RATIO" 'BEGIN { exit !(r <= 3) }'; then
    echo "ratio a/b = $RATIO (goal ≤ 3): ok"
else
    echo "FAIL: ratio a/b = $RATIO (goal ≤ 3)"
    exit 1
fi
