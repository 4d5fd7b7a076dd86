#!/usr/bin/env bash
# The local base image that DockerImage and the image tests build Bun.Api on where no public registry can be reached.
# It is made by the build's own BaseImage target (debootstrap from apt's mirror, the root filesystem cached), the
# same path a newcomer's ./build.sh Ci takes; this script only installs debootstrap first and prints the variables.
# Usage: base-image.sh            (needs a running engine: see docker.sh)
# Prints: export BUN_BASE_IMAGE=bun/base:bookworm        (what the build reads)
#         export BUN_TEST_BASE_IMAGE=bun/base:bookworm   (what the image tests read)
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/services/packages.sh

image="${BUN_BASE_IMAGE_NAME:-bun/base:bookworm}"
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || install_packages debootstrap
./build.sh BaseImage --base-image "$image" >&2
echo "export BUN_BASE_IMAGE=$image"
echo "export BUN_TEST_BASE_IMAGE=$image"
