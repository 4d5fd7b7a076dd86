#!/usr/bin/env bash
# The layers benchmark (issue 15): what a one-line change to Bun.Api costs to build and push, today's single-layer
# image (bench/images/Dockerfile.single-layer) against DockerImage's three layers, side by side in one run.
# It publishes a temporary copy of Bun.Api once, then <changes> more times, each with one more line changed (never the
# repository's own files), and runs LayersBench.cs on the publishes. Figures go to docs/benchmarks.md by hand.
# Usage: bench/images/layers.sh [changes]     (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
changes="${1:-3}"

eval "$(.ci/services/docker.sh start)"
eval "$(.ci/services/registry.sh start)"
eval "$(.ci/services/base-image.sh)"

work=$(mktemp -d /tmp/bun-layers-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
cp global.json Directory.Build.props Directory.Packages.props "$work/"
cp -r src/Bun.Api src/Bun.Postgres "$work/src/"
rm -rf "$work"/src/*/bin "$work"/src/*/obj
rid="linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')"

publishes=()
for change in $(seq 0 "$changes"); do
    if [ "$change" -gt 0 ]; then
        # One line of the service: the version it reports when none is set.
        sed -i "s/\"0\.0\.0-[a-z0-9-]*\"/\"0.0.0-change-$change\"/" "$work/src/Bun.Api/BuildInfo.cs"
    fi
    start=$(date +%s.%N)
    dotnet publish "$work/src/Bun.Api/Bun.Api.csproj" -c Release -r "$rid" --self-contained -o "$work/publish-$change" \
        --artifacts-path "$work/artifacts" -nologo -v quiet
    echo "publish $change: $(echo "$(date +%s.%N) - $start" | bc) s (the same for both images; not in the figures below)"
    publishes+=("$work/publish-$change")
done

echo "load: $(cut -d" " -f1-3 /proc/loadavg)"
dotnet run --file bench/images/LayersBench.cs -- "$PWD/bench/images/Dockerfile.single-layer" "$BUN_TEST_BASE_IMAGE" "$BUN_TEST_REGISTRY" "${publishes[@]}"
