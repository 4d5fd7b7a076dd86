#!/usr/bin/env bash
# Makes sure `kubectl kustomize` can render deploy/, as the manifest tests do (tests/Bun.Delivery.Tests/GitOps/ManifestTests.cs):
# installs Debian's kubernetes-client when there is no kubectl, then renders one overlay to prove it.
# Debian bookworm's kubernetes-client is 1.20, whose kustomize (2.0) predates the `labels:` field deploy/ uses;
# such a kubectl is reported with what to install instead, rather than failing the tests later.
set -euo pipefail
source "$(dirname "$0")/packages.sh"
cd "$(dirname "$0")/../.."

if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl: installing kubernetes-client (no kubectl on PATH)" >&2
    install_packages kubernetes-client
fi

if ! rendered=$(kubectl kustomize deploy/overlays/dev 2>&1); then
    echo "kubectl: $(command -v kubectl) cannot render deploy/overlays/dev: ${rendered%%$'\n'*}" >&2
    echo "kubectl: deploy/ needs kustomize 4.1 or later (kubectl 1.21 or later); put such a kubectl on PATH and run again." >&2
    exit 1
fi

echo "kubectl: $(kubectl version --client 2>/dev/null | head -n 2 | tr '\n' ' ')" >&2
