#!/usr/bin/env bash
# usage: .ci/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with EMPORIUM_TEST_PG_URL pointing at a PostgreSQL server the integration tests
# may create databases in, and exits with CMD's status.
#
#  - EMPORIUM_TEST_PG_URL already set: that server is used as is (e.g. the machine's own
#    service on 127.0.0.1:5432: EMPORIUM_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/postgres).
#  - Otherwise a throwaway cluster is made for this run, so the tests also work on a machine
#    without any PostgreSQL service (a laptop): initdb into a temporary folder, postgres on a
#    free port of 127.0.0.1, both as the `postgres` user when we are root (initdb and postgres
#    refuse to run as root). The server is stopped and the folder deleted afterwards, also
#    when CMD fails or the script is interrupted.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

if [[ -n "${EMPORIUM_TEST_PG_URL:-}" ]]; then
  echo "[with-postgres] using the given EMPORIUM_TEST_PG_URL" >&2
  exec "$@"
fi

PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
for tool in initdb postgres pg_isready; do
  if [[ ! -x "$PGBIN/$tool" ]]; then
    echo "[with-postgres] $PGBIN/$tool missing: run .ci/setup.sh (Debian package postgresql)" >&2
    exit 1
  fi
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=.ci/env.sh
source "$ROOT/.ci/env.sh"

# Run a command as the cluster's owner. As root that is `postgres`; setpriv exec()s in place
# (unlike su/runuser, which fork and would turn our SIGINT into SIGTERM + SIGKILL), so the
# pid we start in the background is postgres itself and we can wait on it: a killed
# postgres that nobody waits on lingers as a zombie.
# It is a command prefix, not a shell function: `function &` would fork a subshell that
# ignores SIGINT and sits between us and postgres.
if [[ "$(id -u)" -eq 0 ]]; then
  AS_OWNER=(setpriv --reuid=postgres --regid=postgres --init-groups --)
else
  AS_OWNER=()
fi

PGDIR="$(mktemp -d "${TMPDIR:-/tmp}/emporium-pg.XXXXXX")"
PGPID=""
cleanup() {
  local status=$?
  if [[ -n "$PGPID" ]] && kill -0 "$PGPID" 2>/dev/null; then
    # SIGINT = "fast shutdown": rolls back open transactions and disconnects clients.
    kill -INT "$PGPID" 2>/dev/null || true
    wait "$PGPID" 2>/dev/null || true
  fi
  rm -rf "$PGDIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$(id -u)" -eq 0 ]]; then
  chown postgres:postgres "$PGDIR"
fi
chmod 700 "$PGDIR"

# initdb/postgres chdir around; start them from a folder their user can read.
cd "$PGDIR"
# -N: no fsync during initdb (throwaway data). trust auth on loopback: tests only.
"${AS_OWNER[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 -N \
  >"$PGDIR/initdb.log" 2>&1 || {
  cat "$PGDIR/initdb.log" >&2
  exit 1
}

PORT="$(emporium_free_port)"
# fsync=off: nothing here needs to survive a crash and it makes tests much faster.
# max_connections=200: each integration test may open its own pool.
# -k: the unix socket goes into our folder, not /var/run/postgresql (not writable, and
# the machine's own service may be there).
"${AS_OWNER[@]}" "$PGBIN/postgres" -D "$PGDIR/data" -p "$PORT" -k "$PGDIR" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c max_connections=200 \
  >"$PGDIR/postgres.log" 2>&1 &
PGPID=$!

for _ in $(seq 1 150); do
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
    break
  fi
  if ! kill -0 "$PGPID" 2>/dev/null; then
    echo "[with-postgres] postgres exited during start-up:" >&2
    cat "$PGDIR/postgres.log" >&2
    exit 1
  fi
  sleep 0.2
done
if ! "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U postgres; then
  echo "[with-postgres] postgres did not become ready in 30 s:" >&2
  cat "$PGDIR/postgres.log" >&2
  exit 1
fi

export EMPORIUM_TEST_PG_URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
echo "[with-postgres] throwaway PostgreSQL at $EMPORIUM_TEST_PG_URL (pid $PGPID)" >&2

cd "$ROOT"
# Not exec: we must outlive CMD to stop the server. `|| status=$?` keeps set -e from
# skipping the status capture.
status=0
"$@" || status=$?
exit "$status"
