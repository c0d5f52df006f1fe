#!/usr/bin/env bash
# PostgreSQL roles for docker-compose: mounted into the official postgres image's
# /docker-entrypoint-initdb.d, it runs once, when the data volume is first initialised.
#   enforcement_owner  owns the database and every table; only `ingest migrate` connects as it
#   enforcement        the application role: the migrator grants it what the apps need, and on the
#                      audit tables only SELECT and INSERT (see README, "Audit trail")
# Passwords come from EM_DB_OWNER_PASSWORD and EM_DB_APP_PASSWORD (docker-compose.yml passes them).
set -euo pipefail
: "${EM_DB_OWNER_PASSWORD:?EM_DB_OWNER_PASSWORD is not set}"
: "${EM_DB_APP_PASSWORD:?EM_DB_APP_PASSWORD is not set}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-postgres}" \
  -v owner_password="$EM_DB_OWNER_PASSWORD" -v app_password="$EM_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE enforcement_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE enforcement LOGIN PASSWORD :'app_password';
CREATE DATABASE enforcement_media OWNER enforcement_owner;
\connect enforcement_media
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
