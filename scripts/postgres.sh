#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 for the tests:
# uses the one running, else installs (apt) and starts one, with the
# `postgres` user's password set to `postgres`. Idempotent.
set -euo pipefail
source "$(dirname "$0")/env.sh"

answers() {
  PGPASSWORD=postgres PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -tAc 'SELECT 1' >/dev/null 2>&1
}

command -v psql >/dev/null 2>&1 || apt_install postgresql-client
answers && exit 0

log "starting PostgreSQL"
command -v pg_ctlcluster >/dev/null 2>&1 || apt_install postgresql
version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
if [ -z "$version" ]; then
  apt_install postgresql
  version=$(ls /etc/postgresql | sort -V | tail -1)
fi
[ -d "/etc/postgresql/$version/main" ] || pg_createcluster "$version" main >/dev/null
pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
  || pg_ctlcluster "$version" main start
for _ in $(seq 1 30); do
  su postgres -c "psql -tAc 'SELECT 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
answers || die "PostgreSQL does not accept connections on 127.0.0.1:5432"
