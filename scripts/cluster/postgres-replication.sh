#!/usr/bin/env bash
# The primary's side of streaming replication, for docker-compose.cluster.yml: mounted into the official
# postgres image's /docker-entrypoint-initdb.d after postgres-roles.sh, it runs once, when the data
# volume is first initialised. It creates the `replicator` role (REPLICATION, no other right), the
# physical slot `replica` (so the primary keeps the WAL the standby has not received yet, however long it
# was away), and lets the role connect for replication with a password.
set -euo pipefail
: "${EM_DB_REPLICATION_PASSWORD:?EM_DB_REPLICATION_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v replication_password="$EM_DB_REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'replication_password';
SELECT pg_create_physical_replication_slot('replica');
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
