#!/usr/bin/env bash
# Builds the local base image the image tests build Bun.Api on, once: no public registry is reachable here,
# so nothing can be pulled. A Debian bookworm minbase root filesystem from the mirror apt already uses,
# imported into the engine. The root filesystem tar is cached so that a wiped engine re-imports in seconds.
# Usage: base-image.sh            (needs a running engine: see docker.sh)
# Prints: export BUN_TEST_BASE_IMAGE=bun/base:bookworm
set -euo pipefail
source "$(dirname "$0")/packages.sh"

image="${BUN_BASE_IMAGE_NAME:-bun/base:bookworm}"
cache="${BUN_CACHE_DIR:-/var/cache/bun}/base-bookworm.tar"
# The runtime libraries a self-contained .NET app needs that minbase lacks.
packages="ca-certificates,libicu72,libssl3,tzdata"

if docker image inspect "$image" >/dev/null 2>&1; then
    echo "export BUN_TEST_BASE_IMAGE=$image"
    exit 0
fi

mirror() {
    # The first Debian archive URI of the apt sources (deb822 or one-line form), so debootstrap uses what apt can reach.
    local uri
    uri=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
    if [ -z "$uri" ]; then
        uri=$(grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

if [ ! -s "$cache" ]; then
    command -v debootstrap >/dev/null || install_packages debootstrap
    root=$(mktemp -d /tmp/bun-base-rootfs.XXXXXX)
    trap 'rm -rf "$root" "$root.log"' EXIT
    echo "base-image: debootstrap bookworm from $(mirror) (about a minute, once)" >&2
    if ! debootstrap --variant=minbase --include="$packages" bookworm "$root" "$(mirror)" >"$root.log" 2>&1; then
        tail -n 30 "$root.log" >&2
        exit 1
    fi
    rm -f "$root.log"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    mkdir -p "$(dirname "$cache")"
    tar -C "$root" -c . > "$cache.partial"
    mv "$cache.partial" "$cache"
fi

docker import "$cache" "$image" >&2
echo "export BUN_TEST_BASE_IMAGE=$image"
