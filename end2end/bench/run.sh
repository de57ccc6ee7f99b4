#!/usr/bin/env bash
# The benchmark behind `make bench` (which builds the release first). About 3 minutes.
#
# What it measures, on real pages of the release build with the demo catalogue:
#   1. Throughput and tail latency: wrk -t2 -c64 -d10s --latency against home, a category,
#      a product page and a search, on our server AND on nginx serving the very same HTML
#      as static files. Client and server share the machine's 2 cores, so absolute numbers
#      say little; the ratio app/nginx measured in the same run is the figure to compare.
#   2. Lighthouse 12 (mobile preset: simulated slow 4G + 4x CPU slowdown) for home and a
#      product page: performance, accessibility, best-practices, SEO, LCP, TBT, CLS.
#   3. Sign-in latency (one argon2id verification each) of the demo shopper, 20 in a row.
#   4. Order placement with 16 concurrent buyers (end2end/bench/orders.sh), on this SQLite
#      server and on a second server over PostgreSQL (EMPORIUM_TEST_PG_URL, which
#      `make bench` provides through .ci/with-postgres.sh): orders/s and p99 of placing.
#   5. Weight: brotli-compressed bytes (brotli -c, quality 11) of the HTML, JS, WASM and CSS
#      that the home page loads.
# Prints a table and writes every figure to target/bench/results.json (the Lighthouse
# reports go beside it).
#
# Fairness choices, so the nginx yardstick is comparable:
#   - nginx runs 2 worker processes: the server's tokio runtime has one worker thread per
#     core (2), so both may use both cores; wrk's 2 threads compete with either equally.
#   - access_log off on nginx (our server logs no access lines at its default level either).
#   - wrk sends no Accept-Encoding, so neither side compresses; both send the same bytes.
#   - keep-alive on both (wrk's default), sendfile on for nginx (its normal static set-up).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=.ci/env.sh
source "$ROOT/.ci/env.sh"
emporium_server_env

OUT="$ROOT/target/bench"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"

for tool in wrk nginx brotli curl "$CHROME_PATH"; do
  command -v "$tool" >/dev/null || { echo "[bench] $tool missing: run .ci/setup.sh" >&2; exit 1; }
done
[[ -x "$EMPORIUM_BIN" ]] || { echo "[bench] $EMPORIUM_BIN missing: run 'make build'" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/emporium-bench.XXXXXX")"
SERVER_PID=""
NGINX_PID=""
stop() { # stop PID: TERM, up to 10 s grace, then KILL; always reaped.
  local pid="$1"
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  stop "$NGINX_PID"
  stop "$SERVER_PID"
  if ((status != 0)) && [[ -f "$WORK/server.log" ]]; then
    echo "[bench] last lines of the server log:" >&2
    tail -n 30 "$WORK/server.log" >&2
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$OUT"
rm -f "$OUT"/results.json "$OUT"/lighthouse-*.json "$OUT"/wrk-*.txt

# ---------------------------------------------------------------------------------------
# Our server: release build, fresh demo database.
# ---------------------------------------------------------------------------------------
APP_PORT="$(emporium_free_port)"
export LEPTOS_SITE_ADDR="127.0.0.1:${APP_PORT}"
export DATABASE_URL="sqlite://${WORK}/bench.db"
# Start-up messages only: per-request logging would tax our side of the comparison while
# nginx's access_log is off.
export RUST_LOG="${RUST_LOG:-warn,server=info}"
export NO_COLOR=1
APP="http://${LEPTOS_SITE_ADDR}"
echo "[bench] starting $EMPORIUM_BIN --demo on $APP"
"$EMPORIUM_BIN" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
emporium_wait_http "$APP/" "$SERVER_PID" 120

# ---------------------------------------------------------------------------------------
# Real URLs: home, a category, the first product linked from it, a search.
# ---------------------------------------------------------------------------------------
STATIC="$WORK/static"
mkdir -p "$STATIC"
fetch_page() { # fetch_page PATH FILE: the page must answer 200.
  curl -fsS --max-time 20 -o "$2" "$APP$1" || { echo "[bench] GET $1 failed" >&2; return 1; }
}
fetch_page "/" "$STATIC/home.html"
fetch_page "/c/kitchen" "$STATIC/category.html"
product_path="$(grep -o 'href="/p/[^"#?]*' "$STATIC/category.html" | head -n 1 | sed 's/^href="//' || true)"
if [[ -z "$product_path" ]]; then
  echo "[bench] no /p/... link on /c/kitchen: cannot pick a product page" >&2
  exit 1
fi
fetch_page "$product_path" "$STATIC/product.html"
fetch_page "/search?q=lantern" "$STATIC/search.html"

# name|path on our server|file served by nginx
PAGES=(
  "home|/|home.html"
  "category|/c/kitchen|category.html"
  "product|${product_path}|product.html"
  "search|/search?q=lantern|search.html"
)
printf '%s\n' "${PAGES[@]}" >"$WORK/pages.txt"

# ---------------------------------------------------------------------------------------
# nginx serving the saved HTML: a non-daemon child of this script with its own prefix.
# ---------------------------------------------------------------------------------------
NGINX_PORT="$(emporium_free_port)"
NGX="$WORK/nginx"
mkdir -p "$NGX/tmp"
# As root, nginx's workers drop to `nobody`, who must be able to read the files.
chmod 755 "$WORK" "$STATIC"
chmod 644 "$STATIC"/*.html
cat >"$NGX/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $STATIC;
  }
}
EOF
NGINX="$(command -v nginx)"
# -e: the start-up error log goes to our folder too (not /var/log/nginx).
"$NGINX" -p "$NGX" -e "$NGX/error.log" -c "$NGX/nginx.conf" &
NGINX_PID=$!
STATIC_URL="http://127.0.0.1:${NGINX_PORT}"
emporium_wait_http "$STATIC_URL/home.html" "$NGINX_PID" 20

# ---------------------------------------------------------------------------------------
# Lighthouse first, on a quiet machine (wrk would skew it). Warm the server up first.
# ---------------------------------------------------------------------------------------
for _ in 1 2 3; do curl -fsS -o /dev/null "$APP/" && curl -fsS -o /dev/null "$APP$product_path"; done
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
for page in home product; do
  if [[ "$page" == home ]]; then url="$APP/"; else url="$APP$product_path"; fi
  echo "[bench] lighthouse $url"
  # Mobile is Lighthouse's default form factor and throttling preset.
  lighthouse "$url" --quiet --output=json --output-path="$OUT/lighthouse-$page.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="$CHROME_FLAGS" --max-wait-for-load=45000
done

# ---------------------------------------------------------------------------------------
# Sign-in: 20 sequential sign-ins of the demo shopper, each dominated by one argon2id
# verification (19 MiB, t=2, p=1); quiet machine, so this is the cost of one hash. The
# throttle is not involved (each sign-in succeeds and clears the account's count).
# ---------------------------------------------------------------------------------------
: >"$OUT/sign-in-seconds.txt"
for _ in $(seq 1 20); do
  curl -sS -o /dev/null -w '%{time_total}\n' --max-time 20 -X POST \
    -H 'Sec-Fetch-Site: same-origin' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'email=demo%40emporium.test&password=plum-harbour-7319' \
    "$APP/api/account/sign-in" >>"$OUT/sign-in-seconds.txt"
done
sort -n "$OUT/sign-in-seconds.txt" | awk '{ms[NR] = $1 * 1000} END {
  printf "{\"sign_in_requests\": %d, \"sign_in_median_ms\": %.1f, \"sign_in_p90_ms\": %.1f, \"sign_in_min_ms\": %.1f}\n", NR, ms[int((NR + 1) / 2)], ms[int(NR * 0.9)], ms[1]
}' >"$OUT/sign-in.json"
echo "[bench] sign-in (one argon2id verification each): $(cat "$OUT/sign-in.json")"

# ---------------------------------------------------------------------------------------
# wrk: one short warm-up per server, then each page on both servers.
# ---------------------------------------------------------------------------------------
wrk -t2 -c16 -d2s "$APP/" >/dev/null
wrk -t2 -c16 -d2s "$STATIC_URL/home.html" >/dev/null
while IFS='|' read -r name path file; do
  echo "[bench] wrk $name: app $path"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$APP$path" >"$OUT/wrk-$name-app.txt"
  echo "[bench] wrk $name: nginx /$file"
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$STATIC_URL/$file" >"$OUT/wrk-$name-nginx.txt"
done <"$WORK/pages.txt"
# Search again, every request distinct so that none is served from the page micro-cache.
echo "[bench] wrk search (uncached, varied queries): app"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$ROOT/end2end/bench/search-uncached.lua" "$APP" \
  >"$OUT/wrk-search-uncached-app.txt"

# ---------------------------------------------------------------------------------------
# Orders: 16 concurrent guest buyers, 8 orders each, on SQLite (this server), then on
# PostgreSQL (a second server with its own fresh demo database), one after the other.
# ---------------------------------------------------------------------------------------
"$ROOT/end2end/bench/orders.sh" "$APP" sqlite "$OUT/orders-sqlite.json"
if [[ -n "${EMPORIUM_TEST_PG_URL:-}" ]]; then
  PG_BASE="${EMPORIUM_TEST_PG_URL%%\?*}"
  PG_URL="${PG_BASE%/*}/emporium_bench"
  psql -q "$EMPORIUM_TEST_PG_URL" -c 'DROP DATABASE IF EXISTS emporium_bench' -c 'CREATE DATABASE emporium_bench'
  PG_PORT="$(emporium_free_port)"
  LEPTOS_SITE_ADDR="127.0.0.1:${PG_PORT}" DATABASE_URL="$PG_URL" "$EMPORIUM_BIN" --demo >"$WORK/server-pg.log" 2>&1 &
  PG_SERVER_PID=$!
  emporium_wait_http "http://127.0.0.1:${PG_PORT}/" "$PG_SERVER_PID" 300
  "$ROOT/end2end/bench/orders.sh" "http://127.0.0.1:${PG_PORT}" postgres "$OUT/orders-postgres.json"
  stop "$PG_SERVER_PID"
else
  echo "[bench] EMPORIUM_TEST_PG_URL unset: no PostgreSQL order figures (make bench sets it)"
fi

# ---------------------------------------------------------------------------------------
# Figures: parse, measure brotli sizes, print, write results.json.
# ---------------------------------------------------------------------------------------
node "$ROOT/end2end/bench/report.mjs" \
  --app "$APP" --pages "$WORK/pages.txt" --static-dir "$STATIC" --out "$OUT" \
  --wrk "threads=2 connections=$CONNECTIONS duration=$DURATION" \
  --nginx-version "$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
for f in "$OUT"/orders-*.json; do [[ -f "$f" ]] && echo "[bench] orders: $(cat "$f")"; done
