# Sourced by the service scripts: installs Debian packages, refreshing the package lists first
# (a new machine's lists may be stale or empty). Output goes to stderr, so callers' stdout stays theirs.
install_packages() {
    echo "installing $*" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}
