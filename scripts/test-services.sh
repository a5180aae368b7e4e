#!/usr/bin/env bash
# Makes the external services the test suites use available: a pinned Synapse (e2e) and, once
# scripts/ensure-postgres.sh exists, PostgreSQL with the msb_test role. Idempotent and fast when both
# are ready, so it can run before every `npm test`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# ensure-synapse.sh prints the venv's python on stdout for callers that want it; not needed here.
bash scripts/ensure-synapse.sh >/dev/null

if [[ -f scripts/ensure-postgres.sh ]]; then
    bash scripts/ensure-postgres.sh
else
    echo "test-services: scripts/ensure-postgres.sh not present yet; PostgreSQL not set up" >&2
fi
