#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the store's PostgreSQL tests.
#
#   eval "$(scripts/ci-postgres.sh)"      # install if missing, init once, start if stopped
#   cargo test -p reciprocity-store -- --ignored
#   scripts/ci-postgres.sh stop           # stop the server (the data folder stays)
#
# Prints one line on stdout, `export RECIPROCITY_TEST_DATABASE_URL=postgres://...`; everything
# else goes to stderr. Idempotent, and fast when already done: PostgreSQL is installed from
# Debian's packages only when no server binaries are found (needs root), the cluster is created
# once under $RECIPROCITY_PG_DIR (default /tmp/reciprocity-pg), and the server is started only
# when it is not running. It listens on 127.0.0.1:$RECIPROCITY_PG_PORT (default 54329) and its own
# socket folder, so it does not touch a system cluster. The data is disposable: fsync is off.
# The tests create one schema per test in database reciprocity_test, owned by role reciprocity.
set -euo pipefail

port=${RECIPROCITY_PG_PORT:-54329}
data=${RECIPROCITY_PG_DIR:-/tmp/reciprocity-pg}
role=reciprocity
password=reciprocity # a local test server on loopback: not a secret
database=reciprocity_test

log() { echo "ci-postgres: $*" >&2; }

server_bin() {
  # The newest installed major version's server binaries.
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

# Run a command as the cluster's owner: `postgres` when we are root (PostgreSQL refuses to run
# as root), else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# `stop` never installs anything: nothing installed, nothing running.
if [ "${1:-}" = stop ]; then
  bin=$(server_bin) || { log "not installed"; exit 0; }
  if [ -f "$data/PG_VERSION" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
  else
    log "not running"
  fi
  exit 0
fi

if ! bin=$(server_bin); then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and we are not root: install it (apt-get install postgresql) and rerun"
    exit 1
  fi
  log "installing PostgreSQL from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  bin=$(server_bin) || { log "no server binaries under /usr/lib/postgresql after the install"; exit 1; }
fi

if [ ! -f "$data/PG_VERSION" ]; then
  log "creating a cluster in $data ($("$bin/postgres" --version))"
  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
  chmod 700 "$data"
  # Local socket: trust (only the owner can reach the socket folder); TCP: passwords.
  as_owner "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >&2
  cat >>"$data/postgresql.conf" <<EOF
# scripts/ci-postgres.sh: a disposable test server.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  log "starting the server on 127.0.0.1:$port"
  as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >&2 || {
    log "the server did not start; its log:"
    tail -n 20 "$data/server.log" >&2
    exit 1
  }
fi

psql_admin() {
  as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U postgres -d postgres "$@"
}
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  log "creating role $role"
  psql_admin -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
fi
if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'")" != 1 ]; then
  log "creating database $database"
  psql_admin -c "CREATE DATABASE $database OWNER $role"
fi

echo "export RECIPROCITY_TEST_DATABASE_URL=postgres://$role:$password@127.0.0.1:$port/$database"
