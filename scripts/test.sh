#!/usr/bin/env bash
# `npm test`: everything needed to run the whole suite on a fresh clone — npm packages if missing,
# the external test services (a real Synapse in a cached virtualenv, Debian's PostgreSQL), a build,
# then mocha with .mocharc.yml (unit, integration, store contract, end-to-end). Extra arguments go to mocha.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x node_modules/.bin/tsc ]]; then
    echo "test: installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
fi
bash scripts/test-services.sh
node_modules/.bin/tsc -p .
exec node_modules/.bin/mocha "$@"
