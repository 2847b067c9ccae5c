#!/usr/bin/env bash
# Install (when missing) and start a local PostgreSQL server for the test suite, then print
# the database URL to use. Used by `make test` when CI is set; safe to run again.
set -euo pipefail

DB_USER=survey
DB_PASS=survey
DB_NAME=survey_test

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "postgres.sh: installing PostgreSQL with apt-get" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  pg_ctlcluster "$version" "$name" start >&2
fi

as_postgres() { su postgres -c "$*"; }
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'\"" | grep -q 1; then
  as_postgres "psql -p $port -qc \"CREATE ROLE $DB_USER LOGIN SUPERUSER PASSWORD '$DB_PASS'\"" >&2
fi
if ! as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$DB_NAME'\"" | grep -q 1; then
  as_postgres "createdb -p $port -O $DB_USER $DB_NAME" >&2
fi
echo "postgresql+psycopg://$DB_USER:$DB_PASS@127.0.0.1:$port/$DB_NAME"
