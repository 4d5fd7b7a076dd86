#!/usr/bin/env bash
# The build process's own start-up: bench/startup.sh [runs] [baseline commit]   (default 15 runs of each)
#
#  (f) the floor: a .NET console app that prints one line (`dotnet floor.dll`, Release, built here);
#  (h) warm `./build.sh --help`;
#  (p) warm `./build.sh ResetDummyDatabase --plan`;
#  (d) warm `./build.sh ResetDummyDatabase --rows 1000 --skip` against a private PostgreSQL 15 server that logs every
#      statement with its time: from the exec of ./build.sh to the connection arriving at the server, and to the
#      target's first statement (the first one after Npgsql's own on connecting: `SELECT version()`, its type loading);
#      skipped when PostgreSQL 15 is not installed (BUN_PG_BIN to point elsewhere).
# Whole processes, wall time from exec to exit, after one warm-up run each; the commands alternate run by run so that
# all of them see the same load. Prints medians and the ratios to the floor; goals: h and p ≤ 150 ms, d's first
# statement ≤ 150 ms (exit code 1 when one is missed). With a baseline commit, (h), (p) and (d) run also for a copy of
# that commit, side by side: the before and after of a change.
#
# Everything runs in scratch copies of the working tree (the files git tracks plus untracked, not ignored ones) and
# of the baseline, each a git repository on main with one commit, so that nothing here compiles this tree's build.
# Under root the server runs as bunpg (.ci/services/postgres.sh creates it).
set -euo pipefail

RUNS="${1:-15}"
BASELINE="${2:-}"
SOURCE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_BIN="${BUN_PG_BIN:-/usr/lib/postgresql/15/bin}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/bun-startup.XXXXXX")"
chmod 755 "$SCRATCH"
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u bunpg -- "$@"; else "$@"; fi; }
stop() {
    [[ -d $SCRATCH/pg/data ]] && as_pg "$PG_BIN/pg_ctl" stop -D "$SCRATCH/pg/data" -m immediate -w >/dev/null 2>&1
    rm -rf "$SCRATCH"
}
trap stop EXIT

commit_copy() { # $1: folder; the files on stdin (a tar stream) become a repository on main with one commit
    mkdir -p "$1"
    tar -xf - -C "$1"
    git -C "$1" init -q -b main
    git -C "$1" add -A
    git -C "$1" -c user.name=bench -c user.email=bench@bun.invalid -c commit.gpgsign=false commit -q --no-verify -m "Benchmark copy"
}
git -C "$SOURCE" ls-files -z --cached --others --exclude-standard | (cd "$SOURCE" && tar --null -T - -cf -) | commit_copy "$SCRATCH/after"
COPIES=(after)
if [[ -n $BASELINE ]]; then
    git -C "$SOURCE" archive --format=tar "$BASELINE" | commit_copy "$SCRATCH/before"
    COPIES=(before after)
fi

mkdir -p "$SCRATCH/floor"
cat >"$SCRATCH/floor/floor.csproj" <<'EOF'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
    <UseAppHost>false</UseAppHost>
  </PropertyGroup>
</Project>
EOF
echo 'System.Console.WriteLine("floor");' >"$SCRATCH/floor/Program.cs"
# Outside the repository: its Directory.Build.props must not steer the floor.
dotnet build "$SCRATCH/floor" -c Release -nologo -v q -o "$SCRATCH/floor/out" >"$SCRATCH/floor.log" 2>&1 || { cat "$SCRATCH/floor.log" >&2; exit 1; }

echo "Bun start-up benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, .NET SDK $(dotnet --version), $RUNS runs${BASELINE:+, baseline $BASELINE}"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"

DATABASE=""
if [[ -x $PG_BIN/initdb ]]; then
    mkdir -p "$SCRATCH/pg" && chmod 777 "$SCRATCH/pg"
    PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    PASSWORD="bench-$RANDOM$RANDOM"
    echo "$PASSWORD" >"$SCRATCH/pg/password" && chmod 644 "$SCRATCH/pg/password"
    as_pg "$PG_BIN/initdb" -D "$SCRATCH/pg/data" -U postgres --pwfile="$SCRATCH/pg/password" --auth=scram-sha-256 --encoding=UTF8 --locale=C >/dev/null
    as_pg "$PG_BIN/pg_ctl" start -D "$SCRATCH/pg/data" -w -l "$SCRATCH/pg/server.log" -o "-p $PORT -c listen_addresses=127.0.0.1 \
        -c unix_socket_directories=$SCRATCH/pg -c log_connections=on -c log_statement=all -c log_timezone=UTC -c log_line_prefix='%m [%p] '" >/dev/null
    PGPASSWORD="$PASSWORD" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bench_startup
    export BUN_DATABASE_URL="postgres://postgres:$PASSWORD@127.0.0.1:$PORT/bench_startup"
    DATABASE=1
else
    echo "(d) skipped: no PostgreSQL 15 at $PG_BIN"
fi

LABELS=(f)
COMMANDS=("dotnet $SCRATCH/floor/out/floor.dll")
for copy in "${COPIES[@]}"; do
    LABELS+=("h-$copy" "p-$copy")
    COMMANDS+=("$SCRATCH/$copy/build.sh --help" "$SCRATCH/$copy/build.sh ResetDummyDatabase --plan")
    if [[ -n $DATABASE ]]; then
        LABELS+=("d-$copy")
        COMMANDS+=("$SCRATCH/$copy/build.sh ResetDummyDatabase --rows 1000 --skip")
    fi
done

echo "preparing: compiling the build in each copy, one warm-up run of each command (not timed)"
for i in "${!COMMANDS[@]}"; do
    ${COMMANDS[$i]} >"$SCRATCH/out" 2>&1 || { cat "$SCRATCH/out" >&2; echo "startup.sh: ${LABELS[$i]} failed" >&2; exit 1; }
done

# One line per run: label, wall ms, and for (d) ms to the connection and to the first statement (from the server log:
# only lines that start with a time; Npgsql sends its type loading in the same message as SELECT version()).
now() { date +%s%N; }
for ((run = 0; run < RUNS; run++)); do
    for i in "${!COMMANDS[@]}"; do
        logged=0
        [[ -n $DATABASE ]] && logged="$(wc -l <"$SCRATCH/pg/server.log")"
        start="$(now)"
        ${COMMANDS[$i]} >/dev/null 2>&1
        end="$(now)"
        if [[ ${LABELS[$i]} == d-* ]]; then
            tail -n +"$((logged + 1))" "$SCRATCH/pg/server.log" | python3 -c '
import sys, datetime
start = int(sys.argv[1]) / 1e9
def ms(line): return 1000 * (datetime.datetime.strptime(" ".join(line.split()[:2]), "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp() - start)
lines = [l for l in sys.stdin.read().splitlines() if l[:4].isdigit()]
connected = next(ms(l) for l in lines if "connection received" in l)
first = next(ms(l) for l in lines if ("statement: " in l or "execute " in l) and "SELECT version()" not in l)
print(f"{sys.argv[2]} {sys.argv[3]} {connected:.1f} {first:.1f}")' "$start" "${LABELS[$i]}" "$(((end - start) / 1000))e-3"
        else
            echo "${LABELS[$i]} $(((end - start) / 1000))e-3"
        fi
    done
done >"$SCRATCH/runs"

median() { python3 -c 'import statistics, sys; print(f"{statistics.median(float(v) for v in sys.stdin.read().split()):.1f}")'; }
column() { awk -v label="$1" -v field="$2" '$1 == label { print $field }' "$SCRATCH/runs" | median; }
FLOOR_MS="$(column f 2)"
echo
printf '%-64s %10s %8s\n' "command (median of $RUNS)" "ms" "÷ floor"
printf '%-64s %10s %8s\n' "(f) dotnet floor.dll (hello world)" "$FLOOR_MS" "1.00"
missed=0
goal() { # $1 label, $2 ms
    if awk -v v="$2" 'BEGIN { exit !(v <= 150) }'; then echo "ok   goal: $1 ≤ 150 ms (got $2)"; else echo "FAIL goal: $1 ≤ 150 ms (got $2)"; missed=1; fi
}
report() { # $1 label, $2 description, $3 field
    local value
    value="$(column "$1" "${3:-2}")"
    printf '%-64s %10s %8s\n' "$2" "$value" "$(awk -v v="$value" -v f="$FLOOR_MS" 'BEGIN { printf "%.2f", v / f }')"
    REPORTED="$value"
}
GOALS=()
for copy in "${COPIES[@]}"; do
    report "h-$copy" "(h) ./build.sh --help [$copy]"
    GOALS+=("(h) [$copy]=$REPORTED")
    report "p-$copy" "(p) ./build.sh ResetDummyDatabase --plan [$copy]"
    GOALS+=("(p) [$copy]=$REPORTED")
    if [[ -n $DATABASE ]]; then
        report "d-$copy" "(d) ResetDummyDatabase --rows 1000, to connection [$copy]" 3
        report "d-$copy" "(d) ResetDummyDatabase --rows 1000, to 1st statement [$copy]" 4
        GOALS+=("(d) first statement [$copy]=$REPORTED")
        report "d-$copy" "(d) ResetDummyDatabase --rows 1000, whole process [$copy]"
    fi
done
echo
for entry in "${GOALS[@]}"; do
    [[ $entry == *"[after]"* ]] && goal "${entry%=*}" "${entry##*=}"
done
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
exit "$missed"
