# Sourced by test.sh: exports TEST_POSTGRES_URL, starting the local cluster if needed.
# shellcheck shell=bash

if [ -z "${TEST_POSTGRES_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_ctlcluster --skip-systemctl-redirect 15 main start >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do
    pg_isready -q -h 127.0.0.1 && break
    sleep 0.5
  done
  if pg_isready -q -h 127.0.0.1; then
    su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_test') THEN
    CREATE ROLE switchboard_test LOGIN PASSWORD 'switchboard_test' CREATEDB;
  END IF;
END $$;
SQL
    # Databases a crashed earlier run left behind (each test drops its own).
    su postgres -c "psql -qtAc \"SELECT datname FROM pg_database WHERE datname LIKE 'switchboard_test_%'\"" |
      while read -r stale; do su postgres -c "dropdb --if-exists $stale"; done
    export TEST_POSTGRES_URL="postgres://switchboard_test:switchboard_test@127.0.0.1:5432/postgres"
  fi
fi

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  echo "    integration tests run on SQLite and on PostgreSQL"
elif [ "${REQUIRE_POSTGRES:-0}" = 1 ]; then
  echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but could not be reached." >&2
  exit 1
else
  echo "    WARNING: PostgreSQL unreachable: integration tests run on SQLite only"
fi
