#!/usr/bin/env bash
# postgres-test.sh — a local PostgreSQL 15 server for the catalog tests (src/library/pg_*), on
# Debian 12, as root (CI) or as a sudo-capable user. No systemd needed.
#
#   usage:  TESSERA_PG_URL=$(bash scripts/postgres-test.sh) && export TESSERA_PG_URL
#
# Installs `postgresql` when missing, creates the cluster "15 main" when absent and starts it when
# down, then creates (once) a login role named after the calling unix user (peer authentication
# over the unix socket, no password) and a database owned by it. Prints the URL for
# TESSERA_PG_URL on stdout and nothing else; progress goes to stderr. Idempotent, and quick when
# everything is already in place.
#
#   env:    TESSERA_PG_DB   the database to create (default tessera_test)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

VERSION=15
CLUSTER=main
DB=${TESSERA_PG_DB:-tessera_test}
ROLE=$(id -un)
RUNDIR=/var/run/postgresql

log() { echo "postgres-test: $*" >&2; }

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { log "need root or sudo"; exit 1; }
  SUDO=(sudo)
fi
# Runs a command as the cluster's owner, from a folder it may read (psql complains otherwise).
as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -u postgres -- "$@")
  fi
}

# 1. The server package (the same check as install-deps.sh: only what is missing).
if [ "$(dpkg-query -W -f='${db:Status-Status}' postgresql 2>/dev/null)" != installed ] ||
   [ ! -x /usr/lib/postgresql/$VERSION/bin/postgres ]; then
  log "installing postgresql"
  cand=$(apt-cache policy postgresql 2>/dev/null | awk '/Candidate:/{print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then "${SUDO[@]}" apt-get update >&2; fi
  "${SUDO[@]}" apt-get install -y --no-install-recommends postgresql </dev/null >&2 ||
    { "${SUDO[@]}" apt-get update >&2 &&
      "${SUDO[@]}" apt-get install -y --no-install-recommends postgresql </dev/null >&2; }
fi

# 2. The cluster: created when absent, started when down. Its socket folder is on a tmpfs that a
# container restart empties.
cluster_line() { pg_lsclusters -h 2>/dev/null | awk -v v=$VERSION -v c=$CLUSTER '$1 == v && $2 == c'; }
if [ -z "$(cluster_line)" ]; then
  log "creating cluster $VERSION $CLUSTER"
  "${SUDO[@]}" pg_createcluster $VERSION $CLUSTER >&2
fi
if [ ! -d $RUNDIR ]; then
  "${SUDO[@]}" install -d -o postgres -g postgres -m 2775 $RUNDIR
fi
status=$(cluster_line | awk '{print $4}')
if [ "${status#online}" = "$status" ]; then  # "down", not "online" nor "online,recovery"
  log "starting cluster $VERSION $CLUSTER"
  "${SUDO[@]}" pg_ctlcluster $VERSION $CLUSTER start >&2
fi
PORT=$(cluster_line | awk '{print $3}')
for _ in $(seq 1 60); do
  pg_isready -q -h $RUNDIR -p "$PORT" && break
  sleep 0.5
done
pg_isready -q -h $RUNDIR -p "$PORT" || { log "the server on port $PORT is not ready"; exit 1; }

# 3. The role and the database, once. Names reach SQL only through psql variables (:'name'
# quotes a literal, format's %I an identifier).
as_postgres psql -X -q -v ON_ERROR_STOP=1 -h $RUNDIR -p "$PORT" -d postgres \
  -v role="$ROLE" -v db="$DB" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
-- UTF8 with the C collation: the same validation as a production database, a fixed sort order.
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
              :'db', :'role', 'UTF8', 'C', 'C')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

URL="postgresql:///$DB?host=$RUNDIR"
[ "$PORT" = 5432 ] || URL="$URL&port=$PORT"
echo "$URL"
