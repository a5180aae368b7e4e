#!/usr/bin/env bash
# Installs a pinned Synapse into a cached virtualenv for the e2e tests (an external test service only:
# the project never imports it). Idempotent: returns in well under a second once the stamp matches.
#
#   bash scripts/ensure-synapse.sh        # prints the venv's python path on the last line
#
# Environment: SYNAPSE_VENV overrides the venv location (default <repo>/.cache/synapse-venv).
set -euo pipefail

SYNAPSE_VERSION="1.163.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${SYNAPSE_VENV:-$repo_root/.cache/synapse-venv}"
stamp="$venv/.msb-synapse-version"
python_bin="$venv/bin/python"

if [[ -x "$python_bin" && -f "$stamp" && "$(cat "$stamp")" == "$SYNAPSE_VERSION" ]]; then
    echo "$python_bin"
    exit 0
fi

echo "ensure-synapse: installing matrix-synapse $SYNAPSE_VERSION into $venv" >&2

# Debian's own python3 ships venv support in a separate package; pyenv/other builds have it built in.
if ! command -v python3 >/dev/null || ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
    if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null; then
        echo "ensure-synapse: installing python3 with venv support from Debian" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >&2
    else
        echo "ensure-synapse: need python3 with the venv module (Debian: apt-get install python3-venv)" >&2
        exit 1
    fi
fi

# A half-finished earlier attempt leaves no stamp; start clean rather than trust it.
rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
python3 -m venv "$venv"

export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1
# --only-binary keeps a registry hiccup from turning into a long Rust/C build of Synapse itself.
"$python_bin" -m pip install --quiet --only-binary matrix-synapse "matrix-synapse==$SYNAPSE_VERSION" >&2
"$python_bin" -c "import synapse.app.homeserver" >&2

echo "$SYNAPSE_VERSION" >"$stamp"
echo "ensure-synapse: matrix-synapse $SYNAPSE_VERSION ready" >&2
echo "$python_bin"
