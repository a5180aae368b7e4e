#!/usr/bin/env bash
# Make a local PostgreSQL ready for the bridge's PostgreSQL tests (Debian, run as root, no systemd needed):
#   - installs Debian's `postgresql` package when it is missing,
#   - makes sure a cluster serves 127.0.0.1:5432 and is running,
#   - makes sure role msb_test (password msb_test, LOGIN CREATEDB) exists.
# Idempotent; takes a second or two when everything is already in place.
#
# Usage: scripts/ensure-postgres.sh [ensure|restart|stop]
#   ensure   (default) the above
#   restart  the above, then restart the cluster (tests use it to drop every connection)
#   stop     stop the cluster (tests use it to simulate an outage; `ensure` starts it again)
set -euo pipefail

readonly PORT=5432
readonly HOST=127.0.0.1
readonly ROLE=msb_test
# A throw-away credential for a loopback-only test role; not a secret.
readonly ROLE_PASSWORD=msb_test

log() { echo "ensure-postgres: $*" >&2; }
die() { log "error: $*"; exit 1; }

action="${1:-ensure}"
case "$action" in
    ensure | restart | stop) ;;
    *) die "unknown action '$action' (expected ensure, restart or stop)" ;;
esac
[[ "$(id -u)" -eq 0 ]] || die "must run as root (it installs packages and controls the cluster)"

server_installed() {
    command -v pg_lsclusters >/dev/null 2>&1 && compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null
}

install_server() {
    server_installed && return 0
    log "installing PostgreSQL from Debian's packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # Containers often forbid starting services from package scripts (policy-rc.d); we start the cluster ourselves.
    apt-get install -y -qq postgresql >/dev/null
    server_installed || die "apt-get install postgresql did not provide a PostgreSQL server"
}

# Prints "version name status" of the cluster configured for $PORT, or nothing.
cluster_on_port() {
    pg_lsclusters -h | awk -v port="$PORT" '$3 == port { print $1, $2, $4; exit }'
}

ensure_cluster() {
    if [[ -z "$(cluster_on_port)" ]]; then
        local version
        version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
        if pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
            die "cluster $version/main exists but not on port $PORT; change its port in /etc/postgresql/$version/main/postgresql.conf"
        fi
        log "creating cluster $version/main on port $PORT"
        pg_createcluster --port "$PORT" "$version" main >/dev/null
    fi
}

cluster_field() { cluster_on_port | cut -d ' ' -f "$1"; }

start_cluster() {
    local version name status
    version="$(cluster_field 1)"; name="$(cluster_field 2)"; status="$(cluster_field 3)"
    if [[ "$status" != online* ]]; then
        log "starting cluster $version/$name"
        pg_ctlcluster "$version" "$name" start
    fi
}

wait_until_accepting() {
    local attempt
    for attempt in $(seq 1 50); do
        pg_isready -q -h "$HOST" -p "$PORT" && return 0
        sleep 0.2
    done
    die "PostgreSQL does not accept connections on $HOST:$PORT (see /var/log/postgresql/)"
}

# psql as the cluster's superuser over the local socket (peer authentication).
admin_psql() {
    (cd / && runuser -u postgres -- psql -p "$PORT" -X -q -v ON_ERROR_STOP=1 -d postgres "$@")
}

ensure_role() {
    if [[ "$(admin_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]]; then
        log "creating role $ROLE"
        admin_psql -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$ROLE_PASSWORD'"
    fi
    PGPASSWORD="$ROLE_PASSWORD" psql -h "$HOST" -p "$PORT" -U "$ROLE" -d postgres -X -tAc "SELECT 1" >/dev/null \
        || die "role $ROLE cannot log in with its password over TCP on $HOST:$PORT (check pg_hba.conf)"
}

install_server
ensure_cluster

if [[ "$action" == "stop" ]]; then
    if [[ "$(cluster_field 3)" == online* ]]; then
        pg_ctlcluster "$(cluster_field 1)" "$(cluster_field 2)" stop
    fi
    log "stopped"
    exit 0
fi

start_cluster
wait_until_accepting
ensure_role

if [[ "$action" == "restart" ]]; then
    log "restarting cluster $(cluster_field 1)/$(cluster_field 2)"
    pg_ctlcluster "$(cluster_field 1)" "$(cluster_field 2)" restart
    wait_until_accepting
fi
log "PostgreSQL ready on $HOST:$PORT, role $ROLE"
