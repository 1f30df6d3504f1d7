#!/usr/bin/env bash
# A PostgreSQL instance of our own for the cluster's membership table, from Debian's
# postgresql package: on 127.0.0.1 only, trusting local connections (a development and test
# store, not a production database), with the Orleans clustering schema applied.
#
#   scripts/postgres.sh start DIR [PORT]   initialise DIR if new, start, create the database, apply the schema
#   scripts/postgres.sh stop DIR           fast shutdown
#
# Prints nothing on success but the connection string (start).
set -euo pipefail
cd "$(dirname "$0")/.."
command="${1:?start or stop}"
dir="$(mkdir -p "${2:?data directory}" && cd "$2" && pwd)"
port="${3:-55432}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/pg_ctl" ] || { scripts/install-prerequisites.sh >&2; bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"; }

# PostgreSQL refuses to run as root: then it runs as the package's postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  runuser -u postgres -- test -w "$dir" || { echo "postgres.sh: the postgres user cannot reach $dir (a parent directory is closed to it)" >&2; exit 1; }
fi

case "$command" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 >"$dir.initdb.log" 2>&1
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c fsync=on" start >/dev/null
    fi
    psql() { as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -q "$@"; }
    psql -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'orleansredis'" | grep -q 1 \
      || psql -d postgres -c "CREATE DATABASE orleansredis"
    psql -d orleansredis -f - <deploy/postgres/orleans-clustering.sql >/dev/null
    echo "Host=127.0.0.1;Port=$port;Database=orleansredis;Username=postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
