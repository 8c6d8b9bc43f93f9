#!/bin/sh
# The postgres image's entrypoint on podbay, following the official image's docker-entrypoint.sh:
# on first start (no $PGDATA/PG_VERSION) initialise the cluster from POSTGRES_USER (default postgres),
# POSTGRES_PASSWORD, POSTGRES_DB (default: the user), POSTGRES_INITDB_ARGS and
# POSTGRES_HOST_AUTH_METHOD, run /docker-entrypoint-initdb.d/*.sql and *.sh, then exec the server
# listening on all addresses. Started as root, it fixes ownership and re-executes as `postgres`.
set -eu
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" != postgres ]; then exec "$@"; fi

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups sh "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  auth="${POSTGRES_HOST_AUTH_METHOD:-}"
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
    echo '       You must specify POSTGRES_PASSWORD to a non-empty value for the superuser.' >&2
    echo '       For example, "-e POSTGRES_PASSWORD=password" on "docker run".' >&2
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  # shellcheck disable=SC2086
  initdb --username="$user" --pwfile="$pwfile" ${POSTGRES_INITDB_ARGS:-} >&2
  rm -f "$pwfile"
  if [ -z "$auth" ]; then auth=scram-sha-256; fi
  printf 'host all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >&2
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -c "CREATE DATABASE \"$db\";" >&2
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f" >&2; . "$f" ;;
      *.sql) echo "running $f" >&2; psql -v ON_ERROR_STOP=1 --username "$user" --dbname "$db" -f "$f" >&2 ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >&2
  echo 'PostgreSQL init process complete; ready for start up.' >&2
fi
exec "$@" -c listen_addresses='*'
