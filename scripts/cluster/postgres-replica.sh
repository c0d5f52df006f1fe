#!/usr/bin/env bash
# The standby of docker-compose.cluster.yml: on first start (an empty data volume) it copies the primary
# with pg_basebackup through the `replica` slot, marks itself a standby that streams from the primary
# under the name `replica` (the primary's synchronous_standby_names waits for exactly that name), then
# hands over to the image's own entrypoint, which finds the data directory initialised and starts
# PostgreSQL as a hot standby (read-only queries allowed).
set -euo pipefail
: "${EM_DB_REPLICATION_PASSWORD:?EM_DB_REPLICATION_PASSWORD is not set}"
: "${PRIMARY_HOST:?PRIMARY_HOST is not set}"
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  conninfo="host=$PRIMARY_HOST port=5432 user=replicator application_name=replica"
  PGPASSWORD="$EM_DB_REPLICATION_PASSWORD" gosu postgres \
    pg_basebackup --pgdata="$PGDATA" --dbname="$conninfo" --slot=replica --wal-method=stream --checkpoint=fast --progress
  # The password goes into primary_conninfo, readable only by the postgres user (mode 0600 data dir).
  gosu postgres bash -c "cat >> '$PGDATA/postgresql.auto.conf'" <<CONF
primary_conninfo = '$conninfo password=$EM_DB_REPLICATION_PASSWORD'
primary_slot_name = 'replica'
hot_standby = on
CONF
  gosu postgres touch "$PGDATA/standby.signal"
fi

exec docker-entrypoint.sh postgres
