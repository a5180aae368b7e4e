#!/usr/bin/env bash
# One command to set up and run matrix-semaphore-bridge against your homeserver:
#   installs the npm packages, builds, writes config.yaml from MSB_* variables if there is none yet,
#   validates it, generates an appservice registration if there is none yet (and says how to give it
#   to Synapse), then runs the bridge in the foreground.
#
#   MSB_HOMESERVER_URL=http://localhost:8008 MSB_HOMESERVER_DOMAIN=example.com \
#   MSB_SEMAPHORE_URL=https://semaphore.example.com MSB_SEMAPHORE_API_TOKEN=... \
#   [MSB_GOTIFY_URL=https://gotify.example.com MSB_GOTIFY_CLIENT_TOKEN=C... MSB_GOTIFY_APP_TOKEN=A...] \
#   scripts/quickstart.sh
#
# Options (environment): MSB_CONFIG (config.yaml), MSB_REGISTRATION (semaphore-registration.yaml),
# MSB_BRIDGE_URL (http://localhost:9000, where Synapse reaches the bridge), MSB_PORT (9000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

config="${MSB_CONFIG:-config.yaml}"
registration="${MSB_REGISTRATION:-semaphore-registration.yaml}"
port="${MSB_PORT:-9000}"
bridge_url="${MSB_BRIDGE_URL:-http://localhost:$port}"

say() { printf 'quickstart: %s\n' "$*"; }

if [[ ! -x node_modules/.bin/tsc ]]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund
fi
say "building"
node_modules/.bin/tsc -p .

if [[ ! -f "$config" ]]; then
    missing=()
    for var in MSB_HOMESERVER_URL MSB_HOMESERVER_DOMAIN MSB_SEMAPHORE_URL; do
        [[ -n "${!var:-}" ]] || missing+=("$var")
    done
    if (( ${#missing[@]} > 0 )); then
        say "there is no $config yet; either copy config.sample.yaml to $config and edit it,"
        say "or set ${missing[*]} (and the MSB_* secrets) and run this again."
        exit 1
    fi
    if [[ -n "${MSB_GOTIFY_URL:-}" ]]; then
        source_block=$'gotify:\n  url: '"$MSB_GOTIFY_URL"$'\nmonitor:\n  source: gotify'
    else
        source_block=$'monitor:\n  source: polling'
    fi
    say "writing $config (secrets stay in MSB_* variables, not in the file)"
    cat >"$config" <<YAML
# Written by scripts/quickstart.sh; see config.sample.yaml and docs/configuration.md for every setting.
homeserver:
  url: $MSB_HOMESERVER_URL
  domain: $MSB_HOMESERVER_DOMAIN
bridge:
  port: $port
semaphore:
  url: $MSB_SEMAPHORE_URL
$source_block
YAML
fi

if [[ ! -f "$registration" ]] || grep -q PLACEHOLDER "$registration"; then
    say "generating $registration for $bridge_url"
    node dist/src/app.js -r -u "$bridge_url" -c "$config" -f "$registration"
    say "add this to Synapse's homeserver.yaml and restart Synapse, then the bot can be invited:"
    say "  app_service_config_files:"
    say "    - $(realpath "$registration")"
fi

say "starting the bridge (Ctrl-C stops it)"
exec node dist/src/app.js -c "$config" -f "$registration" -p "$port"
