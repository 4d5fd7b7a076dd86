#!/usr/bin/env bash
# Monitoring benchmark: bench/deploy/canary.sh [runs] [poll-seconds] [window-seconds]   (default 3 1 15)
#
# How fast a bad canary is caught and undone in test: the time from the bad version's first 5xx answer (seen by the
# traffic) to all traffic back on the stable version (the Rollout aborted through Argo CD's resource action), and to the
# GitOps rollback commit (its sync request). Goal: both at most one poll interval plus the Prometheus rate window beyond
# the onset. Real parts: Prometheus (1 s scrapes) and the service as processes, the good one and the test-only host that
# answers 503 to half of the application's requests; Argo CD is the tests' simulator, with the canary's 20% step held
# for ~60 reads. Traffic: one request every 20 ms, routed as the Rollout weighs the versions. Exit 1 when the median misses the goal.
set -euo pipefail

RUNS="${1:-3}"
POLL="${2:-1}"
WINDOW="${3:-15}"
HERE="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd -P "$HERE/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 NO_COLOR=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bun-bench-canary.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "Building bench/deploy/canary (Release)…"
dotnet build "$HERE/canary/Bun.Bench.Canary.csproj" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1 \
    || { cat "$WORK/build.log"; exit 1; }
git init --quiet --bare --initial-branch=main "$WORK/gitops.git"
dotnet "$HERE/canary/bin/Release/net10.0/Bun.Bench.Canary.dll" --root "$ROOT" --repository "$WORK/gitops.git" \
    --runs "$RUNS" --poll-seconds "$POLL" --window-seconds "$WINDOW"
