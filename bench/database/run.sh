#!/usr/bin/env bash
# ResetDummyDatabase, cold and warm, against pgbench: bench/database/run.sh [runs]   (default 7 runs of each)
#
#  (a) cold: `./build.sh ResetDummyDatabase --rows 1000000 --skip` with no template on the server: seed 1,000,000 fake
#      notes by binary COPY into a fresh database beside the dummy one and swap it in; the template and its spare are
#      then built by a process of their own (PrepareDummyTemplate) — the real target as a whole process, start-up included;
#  (b) `pgbench -i -s 10`: 1,000,000 pgbench_accounts rows loaded with COPY, then vacuum and primary keys;
#  (c) warm: the same command again, with the template and spare the cold run left: end the sessions, swap the spare in
#      by renames; the server then drops the old database and copies the next spare;
#  (d) in place: the same command for a login without CREATEDB, which seeds the dummy database itself, as every reset
#      did before the template;
# on one private PostgreSQL 15 server (initdb in a temp folder, default settings, a free port on 127.0.0.1),
# alternating (a) to (d) so that all see the same load. The template is dropped before each cold run. Before each
# timed command the script waits until the work a reset left behind is done (the background build, the server's
# drop and copy), which it times too, and checkpoints the server, outside the timings. Prints the medians and the ratios
# a/b (goal: ≤ 1.5) and c/b (goal: ≤ 0.3), and beside them the reset's own time as it reports it (without the process
# start-up); exit code 1 when a goal is missed.
# Under root the server runs as bunpg (.ci/services/postgres.sh creates it).
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
psql -q -c "CREATE ROLE bench_inplace LOGIN NOCREATEDB PASSWORD '$PASSWORD'" -c "CREATE DATABASE bench_inplace OWNER bench_inplace"
psql -q -d bench_inplace -c "ALTER SCHEMA public OWNER TO bench_inplace"
IN_PLACE="BUN_DATABASE_URL=postgres://bench_inplace:$PASSWORD@127.0.0.1:$PORT/bench_inplace $REPO/build.sh ResetDummyDatabase --rows $ROWS --skip"

RESET="$REPO/build.sh ResetDummyDatabase --rows $ROWS --skip"
"$REPO/build.sh" --help >/dev/null  # compiles the build once, outside the timings
PGBENCH="pgbench -i -s 10 -q bench_pgbench"

echo "ResetDummyDatabase cold and warm benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $("$PG_BIN/postgres" --version), .NET SDK $(dotnet --version), $RUNS runs"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "(a), (c) $RESET"
echo "(b) $PGBENCH"

TEMPLATE=bench_reset_bun_template
drop_template() {
    psql -q -d postgres -c "ALTER DATABASE $TEMPLATE IS_TEMPLATE false" -c "DROP DATABASE $TEMPLATE" >/dev/null 2>&1 || true
    psql -q -d postgres -c "DROP DATABASE IF EXISTS bench_reset_bun_spare" >/dev/null
}
# Waits for what the last reset left behind, and prints how long that took after the reset returned, in ms: its
# background process (the template build), then every statement still running on the server (the drop, the copy).
left_behind_ms() {
    local pid
    pid="$(sed -n 's/.* by process \([0-9]*\) .*/\1/p' "$SCRATCH/out" | tail -1)"
    if [[ -n $pid ]]; then
        # Until it is gone or a zombie (nobody may be left to reap it).
        while [[ -r /proc/$pid/stat && "$(sed 's/.*) //' "/proc/$pid/stat" | cut -c1)" != Z ]]; do sleep 0.02; done
    fi
    while [[ "$(psql -Atq -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() AND state <> 'idle'")" != 0 ]]; do
        sleep 0.02
    done
    awk -v ns=$(( $(date +%s%N) - RETURNED )) 'BEGIN { printf "%.0f\n", ns / 1e6 }'
}

time_ms() { # wall time of the command line $1, in ms; its output goes to $SCRATCH/out, a failure stops the script
    local start
    start=$(date +%s%N)
    bash -c "$1" >"$SCRATCH/out" 2>&1 || { echo "failed: $1" >&2; cat "$SCRATCH/out" >&2; exit 1; }
    RETURNED=$(date +%s%N)
    awk -v ns=$((RETURNED - start)) 'BEGIN { printf "%.0f\n", ns / 1e6 }'
}
# The reset's own time, from its last line: "Reset the … in 812 ms: …".
reported_ms() { sed -n 's/^Reset the .* in \([0-9]*\) ms: .*/\1/p' "$SCRATCH/out" | tail -1; }
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One warm-up of each: the first reset claims the empty database, and all fill the server's caches.
time_ms "$RESET" >/dev/null; left_behind_ms >/dev/null
time_ms "$PGBENCH" >/dev/null
time_ms "$IN_PLACE" >/dev/null
for series in a b c d a_own c_own d_own a_after c_after; do : > "$SCRATCH/$series"; done
# Each timed command starts on a checkpointed server with nothing left running, so that none pays for the work the
# one before it left behind (dropping or file-copying a database makes PostgreSQL checkpoint at once).
checkpoint() { psql -q -d postgres -c CHECKPOINT; }
for ((run = 1; run <= RUNS; run++)); do
    drop_template; checkpoint; : > "$REPO/.nuke/temp/dummy-template.log"
    time_ms "$RESET" >> "$SCRATCH/a"; reported_ms >> "$SCRATCH/a_own"
    grep -q "seeded into a fresh database and swapped in" "$SCRATCH/out" || { echo "the cold run did not seed a fresh database:" >&2; cat "$SCRATCH/out" >&2; exit 1; }
    left_behind_ms >> "$SCRATCH/a_after"
    grep -q "are ready" "$REPO/.nuke/temp/dummy-template.log" || { echo "the background build did not finish:" >&2; tail -20 "$REPO/.nuke/temp/dummy-template.log" >&2; exit 1; }
    checkpoint
    time_ms "$PGBENCH" >> "$SCRATCH/b"
    checkpoint
    time_ms "$RESET" >> "$SCRATCH/c"; reported_ms >> "$SCRATCH/c_own"
    grep -q "swapped in from a ready clone of its template" "$SCRATCH/out" || { echo "the warm run did not swap the spare in:" >&2; cat "$SCRATCH/out" >&2; exit 1; }
    left_behind_ms >> "$SCRATCH/c_after"
    checkpoint
    time_ms "$IN_PLACE" >> "$SCRATCH/d"; reported_ms >> "$SCRATCH/d_own"
    grep -q "seeded in place" "$SCRATCH/out" || { echo "the in-place run did not seed in place:" >&2; cat "$SCRATCH/out" >&2; exit 1; }
done

A="$(median < "$SCRATCH/a")"; B="$(median < "$SCRATCH/b")"; C="$(median < "$SCRATCH/c")"
D="$(median < "$SCRATCH/d")"
A_OWN="$(median < "$SCRATCH/a_own")"; C_OWN="$(median < "$SCRATCH/c_own")"; D_OWN="$(median < "$SCRATCH/d_own")"
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { printf "%.2f", x / y }'; }
COLD="$(ratio "$A" "$B")"; WARM="$(ratio "$C" "$B")"
echo "(a) cold reset:        median ${A} ms (the reset's own ${A_OWN} ms)   runs: $(paste -sd ' ' "$SCRATCH/a")"
echo "    then in the background, the template and its spare: median $(median < "$SCRATCH/a_after") ms after the reset returned"
echo "(b) pgbench -i -s 10:  median ${B} ms   runs: $(paste -sd ' ' "$SCRATCH/b")"
echo "(c) warm reset:        median ${C} ms (the reset's own ${C_OWN} ms)   runs: $(paste -sd ' ' "$SCRATCH/c")"
echo "    then on the server, the old database dropped and the next spare copied: median $(median < "$SCRATCH/c_after") ms after the reset returned"
echo "(d) in place:          median ${D} ms (the reset's own ${D_OWN} ms)   runs: $(paste -sd ' ' "$SCRATCH/d")"
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
echo "cold a/b = $COLD (goal ≤ 1.5; the reset's own time: $(ratio "$A_OWN" "$B"))"
echo "warm c/b = $WARM (goal ≤ 0.3; the reset's own time: $(ratio "$C_OWN" "$B"))"
echo "in place d/b = $(ratio "$D" "$B") (no goal; the reset's own time: $(ratio "$D_OWN" "$B"))"
if awk -v cold="$COLD" -v warm="$WARM" 'BEGIN { exit !(cold <= 1.5 && warm <= 0.3) }'; then
    echo "ok: both goals met"
else
    echo "FAIL: a goal was missed"
    exit 1
fi
