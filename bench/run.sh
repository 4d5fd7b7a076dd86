#!/usr/bin/env bash
# Bun's benchmarks: bench/run.sh [runs]   (default 7 runs per command-line figure)
#
#  (a) warm `./build.sh Test --plan`, nothing changed since the last compile, against
#  (b) the NUKE-style floor: `dotnet build build/_build.csproj` then
#      `dotnet run --project build/_build.csproj --no-build -- Test --plan`;
#      medians of the runs, side by side, and the ratio a/b (goal ≤ 0.25);
#  (c) planning 1,000 and 10,000 synthetic targets in-process (goals: 10,000 in ≤ 50 ms, 10k/1k ≤ 12);
#  (d) four independent targets that each wait 1 s, run with --parallel (goal: wall time ≤ 1.3 s).
# (c) and (d) run in bench/Bun.Pipeline.Benchmarks, built in Release; it is not in Bun.sln.
#
# Everything runs in a scratch copy of the working tree (the files git tracks plus untracked, not ignored ones),
# so that edits made meanwhile in this tree cannot turn a warm run into a compile, and so that the builds here
# never touch this tree's bin/ and obj/. The copy is removed at the end.
# Uses hyperfine for (a)/(b) when it is installed (apt-get install hyperfine), a plain bash loop otherwise;
# BENCH_NO_HYPERFINE=1 forces the loop. Exit code 1 when a goal is missed.
set -euo pipefail

RUNS="${1:-7}"
SOURCE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/bun-bench.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT
git -C "$SOURCE" ls-files -z --cached --others --exclude-standard \
    | (cd "$SOURCE" && tar --null -T - -cf -) \
    | tar -xf - -C "$SCRATCH"
cd "$SCRATCH"
# The build reads the branch and commit from git: a repository on main with one commit.
git init -q -b main
git add -A
git -c user.name=bench -c user.email=bench@bun.invalid -c commit.gpgsign=false commit -q --no-verify -m "Benchmark copy"

WARM='./build.sh Test --plan'
FLOOR='dotnet build build/_build.csproj && dotnet run --project build/_build.csproj --no-build -- Test --plan'

echo "Bun benchmarks — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc 2>/dev/null || sysctl -n hw.ncpu) cores, .NET SDK $(dotnet --version), $RUNS runs"
echo "load average before: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || uptime)"
echo

# Compile once so that (a) is warm and (b)'s `dotnet build` has nothing to do, as after any earlier build.
echo "preparing: compiling the build project in the copy (warm-up, not timed)"
./build.sh Test --plan >/dev/null
bash -c "$FLOOR" >/dev/null
echo

time_ms() { # runs the command line $1 through bash like hyperfine does, prints its wall time in ms
    local start end
    start=$(date +%s%N)
    bash -c "$1" >/dev/null
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'BEGIN { printf "%.1f\n", ns / 1e6 }'
}

median_ms() { # reads one number per line, prints the median with 1 decimal
    sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'
}

if command -v hyperfine >/dev/null 2>&1 && [[ -z ${BENCH_NO_HYPERFINE:-} ]]; then
    echo "(a)/(b) with hyperfine, $RUNS runs each after 1 warm-up run:"
    hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$SCRATCH/startup.json" \
        --command-name '(a) ./build.sh Test --plan' "$WARM >/dev/null" \
        --command-name '(b) dotnet build + dotnet run --no-build' "$FLOOR >/dev/null"
    medians=($(grep -o '"median": *[0-9.e+-]*' "$SCRATCH/startup.json" | sed 's/.*: *//'))
    A_MS="$(awk -v s="${medians[0]}" 'BEGIN { printf "%.1f", s * 1000 }')"
    B_MS="$(awk -v s="${medians[1]}" 'BEGIN { printf "%.1f", s * 1000 }')"
else
    echo "(a)/(b) with a bash loop, $RUNS runs each, alternating a and b:"
    : >"$SCRATCH/a.ms"
    : >"$SCRATCH/b.ms"
    for ((i = 0; i < RUNS; i++)); do
        time_ms "$WARM" >>"$SCRATCH/a.ms"
        time_ms "$FLOOR" >>"$SCRATCH/b.ms"
    done
    A_MS="$(median_ms <"$SCRATCH/a.ms")"
    B_MS="$(median_ms <"$SCRATCH/b.ms")"
fi
RATIO="$(awk -v a="$A_MS" -v b="$B_MS" 'BEGIN { printf "%.3f", a / b }')"
echo
echo "(a) warm ./build.sh Test --plan:                       median $A_MS ms"
echo "(b) dotnet build + dotnet run --no-build -- Test --plan: median $B_MS ms"
echo "a/b = $RATIO"
missed=0
if awk -v r="$RATIO" 'BEGIN { exit !(r <= 0.25) }'; then
    echo "ok   goal: a/b ≤ 0.25 (got $RATIO)"
else
    echo "FAIL goal: a/b ≤ 0.25 (got $RATIO)"
    missed=1
fi

echo
echo "(c)/(d) in-process, bench/Bun.Pipeline.Benchmarks (Release):"
dotnet build bench/Bun.Pipeline.Benchmarks -c Release -nologo -v q >"$SCRATCH/bench-build.log" 2>&1 \
    || { cat "$SCRATCH/bench-build.log" >&2; exit 1; }
dotnet bench/Bun.Pipeline.Benchmarks/bin/Release/net10.0/Bun.Pipeline.Benchmarks.dll || missed=1

echo
echo "load average after: $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || uptime)"
exit "$missed"
