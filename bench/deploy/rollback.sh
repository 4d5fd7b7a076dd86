#!/usr/bin/env bash
# Rollback benchmark: bench/deploy/rollback.sh [runs]   (default 5)
#
# Wall time of `./build.sh Rollback --environment stage`, from invocation to verified, as a whole process (bootstrap
# script, runtime start-up and the build's own start included), against an Argo CD simulator that answers at once.
# Goal: ≤ 3 s. The target clones the GitOps repository, reads the history, commits and pushes the rollback, syncs,
# waits until Synced and Healthy (--settle-seconds 0, --argocd-poll-seconds 0.1), records the verification and pushes.
#
# Set-up, not timed: a bare GitOps repository in a temp folder, the simulator in the background (bench/deploy's console
# entry, which serves the tests' simulator), two verified deployments of stage made through the library, and one
# warm-up run of ./build.sh, so that what is timed is a warm start (a changed build/ or src/ compiles first; see
# docs/benchmarks.md). Each timed run rolls stage back to the other version, so every run does the full work: by
# --to-version, since a bare Rollback never returns to a version it rolled back from (docs/deploy.md).
# Exit code 1 when the median misses the goal.
set -euo pipefail

RUNS="${1:-5}"
GOAL_MS=3000
HERE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd -P "$HERE/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bun-bench-deploy.XXXXXX")"
SERVER_PID=""
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "Building bench/deploy (Release)…"
dotnet build "$HERE/Bun.Bench.Deploy.csproj" -c Release -o "$WORK/bin" -nologo -v quiet >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log"; exit 1; }
BENCH=(dotnet "$WORK/bin/Bun.Bench.Deploy.dll")

git init --quiet --bare --initial-branch=main "$WORK/gitops.git"
"${BENCH[@]}" serve --repository "$WORK/gitops.git" --ready-file "$WORK/server" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do [[ -s $WORK/server ]] && break; sleep 0.1; done
[[ -s $WORK/server ]] || { echo "The simulator did not start:"; cat "$WORK/server.log"; exit 1; }
URL="$(sed -n 1p "$WORK/server")"
TOKEN="$(sed -n 2p "$WORK/server")"
COMMON=(--root "$ROOT" --repository "$WORK/gitops.git" --server "$URL" --token "$TOKEN")

"${BENCH[@]}" prepare "${COMMON[@]}" >"$WORK/prepare.log" 2>&1 || { cat "$WORK/prepare.log"; exit 1; }

# The build's parameters; the token goes through the environment, as secrets should.
export BUN_ARGOCD_TOKEN="$TOKEN"
ROLLBACK=("$ROOT/build.sh" Rollback --environment stage --gitops-repo "$WORK/gitops.git" --argocd-server "$URL"
          --settle-seconds 0 --argocd-poll-seconds 0.1)
"$ROOT/build.sh" --help >"$WORK/warm-up.log" 2>&1 || { cat "$WORK/warm-up.log"; exit 1; }

# The two versions prepare deployed, newest (running) first.
"$ROOT/build.sh" History --environment stage --gitops-repo "$WORK/gitops.git" --json >"$WORK/history.json" 2>"$WORK/history.log" \
    || { cat "$WORK/history.log"; exit 1; }
mapfile -t VERSIONS < <(python3 -c 'import json, sys; print("\n".join(e["version"] for e in json.load(open(sys.argv[1]))["entries"][:2]))' "$WORK/history.json")

times=()
for run in $(seq "$RUNS"); do
    target=${VERSIONS[$(( run % 2 ))]}
    start=$(date +%s%N)
    "${ROLLBACK[@]}" --to-version "$target" >"$WORK/rollback-$run.log" 2>&1 || { cat "$WORK/rollback-$run.log"; exit 1; }
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
    echo "run $run: ${times[-1]} ms  ($(grep -o 'Rolling stage back to [^ ]*' "$WORK/rollback-$run.log"))"
done

sorted=($(printf '%s\n' "${times[@]}" | sort -n))
median=${sorted[$(( ${#sorted[@]} / 2 ))]}
echo "./build.sh Rollback --environment stage, invocation to verified: min ${sorted[0]} ms, median $median ms, max ${sorted[-1]} ms over $RUNS runs (goal ≤ $GOAL_MS ms)."
(( median <= GOAL_MS )) || { echo "Goal missed."; exit 1; }
