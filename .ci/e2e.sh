#!/usr/bin/env bash
# usage: .ci/e2e.sh [extra `playwright test` arguments, e.g. --project=mobile or a spec file]
#
# Browser tests against the RELEASE build (what users get: hashed bundles, wasm-opt'd wasm,
# code splitting). Expects `cargo leptos build --release --split` to have run (`make e2e`
# and `make test` do that first).
#
# Starts target/release/server on a free port of 127.0.0.1 with a fresh SQLite database in a
# temporary folder and `--demo` (migrate + seed the demo catalogue), waits until it answers,
# runs Playwright in end2end/ with BASE_URL pointing at it, stops the server, and exits with
# Playwright's status. The server's log is kept in end2end/test-results/server.log.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=.ci/env.sh
source "$ROOT/.ci/env.sh"
emporium_server_env

if [[ ! -x "$EMPORIUM_BIN" ]]; then
  echo "[e2e] $EMPORIUM_BIN missing: run 'make build' (cargo leptos build --release --split)" >&2
  exit 1
fi
if [[ ! -f "$(dirname "$EMPORIUM_BIN")/hash.txt" ]]; then
  # Leptos would render pages that point at unhashed bundle names nobody serves.
  echo "[e2e] $(dirname "$EMPORIUM_BIN")/hash.txt missing: the build was not made with LEPTOS_HASH_FILES=true" >&2
  exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/emporium-e2e.XXXXXX")"
SERVER_PID=""
LOG_KEEP="$ROOT/end2end/test-results/server.log"
cleanup() {
  local status=$?
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    # Give it 10 s for a graceful shutdown, then stop waiting politely.
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -f "$WORK/server.log" ]]; then
    mkdir -p "$(dirname "$LOG_KEEP")"
    cp "$WORK/server.log" "$LOG_KEEP"
    if ((status != 0)); then
      echo "[e2e] last lines of the server log (all of it: $LOG_KEEP):" >&2
      tail -n 40 "$WORK/server.log" >&2
    fi
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PORT="$(emporium_free_port)"
export LEPTOS_SITE_ADDR="127.0.0.1:${PORT}"
# Three slashes: sqlite:// + an absolute path. The server creates, migrates and (with
# --demo) seeds it.
export DATABASE_URL="sqlite://${WORK}/e2e.db"
export RUST_LOG="${RUST_LOG:-info}"
# Plain text in the kept log (tracing-subscriber writes colour codes otherwise).
export NO_COLOR=1

# The first administrator comes from the server's command, as in production (no default
# password); the staff journey signs in with it.
export E2E_ADMIN_EMAIL="admin@e2e.test"
export E2E_ADMIN_PASSWORD="e2e-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
EMPORIUM_PASSWORD="$E2E_ADMIN_PASSWORD" "$EMPORIUM_BIN" create-admin --email "$E2E_ADMIN_EMAIL" --name "E2E Admin" \
  >>"$WORK/server.log" 2>&1

echo "[e2e] starting $EMPORIUM_BIN --demo on $LEPTOS_SITE_ADDR (db $DATABASE_URL)"
# Parcels travel fast: a day of their journey in 4 seconds ("tracking until delivered").
EMPORIUM_CARRIER_SPEED=21600 "$EMPORIUM_BIN" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!

# Seeding the demo catalogue and building the search index happen before it listens.
emporium_wait_http "http://${LEPTOS_SITE_ADDR}/" "$SERVER_PID" 120
echo "[e2e] server answers; running Playwright"

cd "$ROOT/end2end"
status=0
BASE_URL="http://${LEPTOS_SITE_ADDR}" npx --no-install playwright test "$@" || status=$?
exit "$status"
