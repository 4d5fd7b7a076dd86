#!/usr/bin/env bash
# The images benchmark: starts the engine and the registry (as CI does), builds the local base image once,
# publishes Bun.Api self-contained, then runs both measurements. Figures go to docs/images.md by hand.
# Usage: bench/images/run.sh [runs]     (default 7 build pairs, 1,000 tags)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-7}"

eval "$(.ci/services/docker.sh start)"
eval "$(.ci/services/registry.sh start)"
eval "$(.ci/services/base-image.sh)"

work=$(mktemp -d /tmp/bun-images-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Bun.Api/Bun.Api.csproj -c Release -r linux-x64 --self-contained -o "$work/publish" \
    --artifacts-path "$work/artifacts" -nologo -v quiet

dotnet run --file bench/images/ImagesBench.cs -- build "$work/publish" "$PWD/bench/images/Dockerfile.single-layer" "$BUN_TEST_BASE_IMAGE" "$runs"
dotnet run --file bench/images/ImagesBench.cs -- cleanup "$BUN_TEST_REGISTRY" 1000
