#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A private PostgreSQL cluster in a folder, listening on 127.0.0.1 only (Debian's postgresql
# package; no system service is used or touched).
#
#   postgres.sh start <state-dir> [--throwaway]   create (or reuse) and start; writes <state-dir>/env
#   postgres.sh stop <state-dir>                  stop that cluster only (idempotent)
#
# --throwaway turns fsync off: for test clusters that are deleted afterwards, never for evidence.
# <state-dir>/env exports Npgsql connection strings for three roles:
#   EM_PG_OWNER_CONNECTION  enforcement_owner: owns the database and the catalogue, runs migrations
#   EM_PG_CONNECTION        enforcement: the application role; gets only the grants the migrator
#                           applies (on audit tables SELECT and INSERT, nothing else)
#   EM_PG_ADMIN_CONNECTION  postgres: the superuser, for tests that play an attacker or clean up
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$here/common.sh"

pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$dir/initdb" ]] || { echo "postgres.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
  echo "$dir"
}

# initdb refuses to run as root: run the server as the unprivileged postgres user when root.
as_owner() {
  if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  local state=$1 throwaway=${2:-} bin port data
  bin=$(pg_bin)
  mkdir -p "$state"
  state=$(cd "$state" && pwd)
  data="$state/data"
  mkdir -p "$state/run" "$state/log"
  if (( EUID == 0 )); then chown -R postgres: "$state"; fi

  if [[ ! -f "$data/PG_VERSION" ]]; then
    as_owner "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 ${throwaway:+--no-sync} >"$state/log/initdb.log" 2>&1 \
      || { tail -n 20 "$state/log/initdb.log" >&2; return 1; }
  fi
  if [[ -f "$data/postmaster.pid" ]] && process_alive "$(head -n 1 "$data/postmaster.pid")"; then
    echo "postgres.sh: a server is already running on $data" >&2
    return 1
  fi

  port=$(free_port)
  local opts="-c listen_addresses=127.0.0.1 -p $port -k $state/run -c max_connections=200"
  [[ -n "$throwaway" ]] && opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  if ! as_owner "$bin/pg_ctl" -D "$data" -l "$state/log/postgres.log" -o "$opts" -w -t 60 start >/dev/null; then
    echo "postgres.sh: server failed to start; last log lines:" >&2
    tail -n 20 "$state/log/postgres.log" >&2
    return 1
  fi

  # Two login roles: the owner (migrations, owns every table) and the application (what the apps
  # connect as; the migrator grants it what it needs and on audit rows only SELECT and INSERT).
  # Idempotent on reuse; a cluster made before the split, whose database the application role
  # owned, is handed over to the owner.
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
SELECT 'CREATE ROLE enforcement_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'enforcement_owner') \gexec
SELECT 'CREATE ROLE enforcement LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'enforcement') \gexec
SELECT 'CREATE DATABASE enforcement_media OWNER enforcement_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'enforcement_media') \gexec
SQL
  as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d enforcement_media -v ON_ERROR_STOP=1 -q >/dev/null <<'SQL'
REASSIGN OWNED BY enforcement TO enforcement_owner;
REVOKE CREATE ON DATABASE enforcement_media FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL

  cat >"$state/env" <<ENV
export EM_PG_PORT=$port
export EM_PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=enforcement;Database=enforcement_media"
export EM_PG_OWNER_CONNECTION="Host=127.0.0.1;Port=$port;Username=enforcement_owner;Database=enforcement_media"
export EM_PG_ADMIN_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=enforcement_media"
ENV
  chmod a+r "$state/env"
  echo "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port (data: $data)"
}

stop() {
  local state=$1 bin
  [[ -d "$state/data" ]] || return 0
  bin=$(pg_bin)
  if [[ -f "$state/data/postmaster.pid" ]] && process_alive "$(head -n 1 "$state/data/postmaster.pid")"; then
    as_owner "$bin/pg_ctl" -D "$state/data" -m fast -w -t 60 stop >/dev/null
  fi
}

case "${1:-}" in
  start) [[ $# -ge 2 ]] || { echo "usage: $0 start <state-dir> [--throwaway]" >&2; exit 2; }; start "$2" "${3:+throwaway}" ;;
  stop) [[ $# -ge 2 ]] || { echo "usage: $0 stop <state-dir>" >&2; exit 2; }; stop "$2" ;;
  *) echo "usage: $0 start|stop <state-dir>" >&2; exit 2 ;;
esac
