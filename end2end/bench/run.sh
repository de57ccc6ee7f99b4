#!/usr/bin/env bash
# The benchmark behind `make bench` (which builds the release first). About 6 minutes.
#
# What it measures, on real pages of the release build with the demo catalogue (README,
# "Benchmark", says which figure is which):
#   1. Throughput, tail latency and server CPU per request. Every wrk run varies the URL
#      per request, drawn from lists built from the running shop (urls.mjs): product pages
#      (up to 600, from the category listings), category pages with each sort and the first
#      pages, search pages for real title words, the home page. Each list is run
#        - uncached: an ignored, unique `_b=` parameter on every request, so the page
#          micro-cache (keyed by the full URI) never answers and every request renders;
#        - cached, as a realistic mix: all lists in one popularity order drawn Zipf (s = 1),
#          no extra parameter, with the micro-cache's hit rate (its `x-cache` header);
#        - hot: the 50 most popular product pages drawn Zipf: nearly all hits, i.e. the
#          cost of a micro-cache hit;
#        - signed in: the demo shopper's session cookie on random product pages (a session
#          is never served from the cache).
#      Each run also goes to nginx serving the very same pages saved as files. Reported:
#      req/s, p99, and CPU µs per request of the server (utime+stime from /proc, over the
#      requests wrk completed) for our server and for nginx. Any non-2xx answer fails.
#   2. SQL statements per page and per placed order (sql-count.mjs), on a separate server
#      with statement logging, on SQLite and PostgreSQL.
#   3. Lighthouse 12 (mobile preset: simulated slow 4G + 4x CPU slowdown) for home and a
#      product page.
#   4. Sign-in latency (one argon2id verification each) of the demo shopper, 20 in a row.
#   5. Order placement with 16 concurrent buyers (orders.sh) on SQLite and PostgreSQL.
#   6. Weight (weight.mjs): brotli bytes of what the home page loads, of the wasm + JS it
#      needs before it is interactive, and of each lazy route chunk.
# report.mjs prints a table with the targets (PASS/FAIL; a missed target does not fail the
# run) and writes every figure to target/bench/results.json.
#
# Fairness choices, so the nginx yardstick is comparable:
#   - nginx runs 2 worker processes: the server's tokio runtime has one worker thread per
#     core (2), so both may use both cores; wrk's 2 threads compete with either equally.
#   - access_log off on nginx (our server logs no access lines at its default level either).
#   - wrk sends `Accept-Encoding: br, gzip` to both, as browsers do. Our server compresses
#     each page as it sends it (brotli); nginx-light has no brotli module, so it serves the
#     saved pages precompressed with gzip -9 (gzip_static): nginx spends no CPU on
#     compression at all, which makes it a lower bound, not a twin.
#   - keep-alive on both (wrk's default), sendfile on for nginx (its normal static set-up).
#   - the same wrk script (pick.lua) drives both, so both pay the same client-side cost.
#   - client and servers share the 2 cores: req/s are a property of this machine under
#     this load; compare the app/nginx ratios and the CPU µs per request between runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/end2end/bench"
# shellcheck source=.ci/env.sh
source "$ROOT/.ci/env.sh"
emporium_server_env

OUT="$ROOT/target/bench"
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
THREADS=2
CLK_TCK="$(getconf CLK_TCK)"
STARTED_AT="$(date +%s)"

for tool in wrk nginx brotli curl node pgrep "$CHROME_PATH"; do
  command -v "$tool" >/dev/null || { echo "[bench] $tool missing: run .ci/setup.sh" >&2; exit 1; }
done
[[ -x "$EMPORIUM_BIN" ]] || { echo "[bench] $EMPORIUM_BIN missing: run 'make build'" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/emporium-bench.XXXXXX")"
SERVER_PID=""
NGINX_PID=""
PG_SERVER_PID=""
COUNT_PID=""
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
  stop "$COUNT_PID"
  stop "$PG_SERVER_PID"
  stop "$NGINX_PID"
  stop "$SERVER_PID"
  if ((status != 0)); then
    for log in "$WORK"/server*.log; do
      [[ -f "$log" ]] || continue
      echo "[bench] last lines of $(basename "$log"):" >&2
      grep -v 'sqlx::query' "$log" | tail -n 20 >&2 || true
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$OUT"
rm -f "$OUT"/results.json "$OUT"/lighthouse-*.json "$OUT"/wrk-*.txt "$OUT"/wrk-*.json "$OUT"/cpu-*.json \
  "$OUT"/sql-*.json "$OUT"/orders-*.json "$OUT"/weight.json "$OUT"/urls.json "$OUT"/sign-in*.{json,txt} \
  "$OUT"/preflight.json "$OUT"/scenarios.txt

# CPU time (utime + stime, clock ticks) of the given processes, all their threads.
proc_ticks() {
  local total=0 pid rest
  local -a f
  for pid in "$@"; do
    [[ -r "/proc/$pid/stat" ]] || continue
    rest="$(sed 's/^.*) //' "/proc/$pid/stat")" # the name in (...) may hold spaces
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}
# Busy and total ticks of the whole machine (all cores), from /proc/stat.
machine_ticks() {
  awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}
# CPU ms of this shell's finished children, from the output of the `times` builtin (run in
# this shell, not a subshell: a subshell would report its own children).
children_ms() {
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60000 + p[2] * 1000 } printf "%d\n", t }' "$1"
}

# Is the machine quiet? Another build or test run would take CPU from the servers and make
# every figure meaningless; the report repeats this warning.
read -r qb0 qt0 <<<"$(machine_ticks)"
sleep 3
read -r qb1 qt1 <<<"$(machine_ticks)"
QUIET_BUSY_PERCENT=$(((100 * (qb1 - qb0)) / (qt1 - qt0 > 0 ? qt1 - qt0 : 1)))
echo "{\"machine_busy_percent_before_start\": $QUIET_BUSY_PERCENT}" >"$OUT/preflight.json"
if ((QUIET_BUSY_PERCENT > 20)); then
  echo "[bench] WARNING: the machine was ${QUIET_BUSY_PERCENT}% busy before the benchmark started (a build?): figures will be skewed" >&2
fi

# ---------------------------------------------------------------------------------------
# Our server: release build, fresh demo database.
# ---------------------------------------------------------------------------------------
APP_PORT="$(emporium_free_port)"
export DATABASE_URL="sqlite://${WORK}/bench.db"
# Start-up messages only: per-request logging would tax our side of the comparison while
# nginx's access_log is off.
export RUST_LOG="${RUST_LOG:-warn,server=info}"
export NO_COLOR=1
APP="http://127.0.0.1:${APP_PORT}"
echo "[bench] starting $EMPORIUM_BIN --demo on $APP"
LEPTOS_SITE_ADDR="127.0.0.1:${APP_PORT}" "$EMPORIUM_BIN" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
emporium_wait_http "$APP/" "$SERVER_PID" 180

# ---------------------------------------------------------------------------------------
# URL lists from the running shop, and the same pages saved for nginx.
# ---------------------------------------------------------------------------------------
node "$BENCH/urls.mjs" --app "$APP" --out "$WORK" --products "${BENCH_PRODUCTS:-600}" --terms "${BENCH_TERMS:-200}"
cp "$WORK/urls.json" "$OUT/urls.json"
URLS="$WORK/urls"
STATIC="$WORK/static"
PRODUCT_PATH="$(head -n 1 "$URLS/product.tsv" | cut -f 1)"
CATEGORY_PATH="$(head -n 1 "$URLS/category.tsv" | cut -f 1)"
SEARCH_PATH="$(head -n 1 "$URLS/search.tsv" | cut -f 1)"

# ---------------------------------------------------------------------------------------
# nginx serving the saved pages: a non-daemon child of this script with its own prefix.
# ---------------------------------------------------------------------------------------
NGINX_PORT="$(emporium_free_port)"
NGX="$WORK/nginx"
mkdir -p "$NGX/tmp"
# As root, nginx's workers drop to `nobody`, who must be able to read the files.
chmod 755 "$WORK"
chmod -R a+rX "$STATIC"
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
  # nginx-light has no brotli: the pages are stored gzip -9 beside the originals and sent
  # as they are to clients that accept gzip (no compression work per request).
  gzip off;
  gzip_static on;
  client_body_temp_path $NGX/tmp/body;
  proxy_temp_path $NGX/tmp/proxy;
  fastcgi_temp_path $NGX/tmp/fastcgi;
  uwsgi_temp_path $NGX/tmp/uwsgi;
  scgi_temp_path $NGX/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $STATIC;
    # /f/<list>/<n>.html; the query string (the benchmark's _b=) plays no part in the lookup.
    location / { try_files \$uri =404; }
  }
}
EOF
NGINX="$(command -v nginx)"
# -e: the start-up error log goes to our folder too (not /var/log/nginx).
"$NGINX" -p "$NGX" -e "$NGX/error.log" -c "$NGX/nginx.conf" &
NGINX_PID=$!
STATIC_URL="http://127.0.0.1:${NGINX_PORT}"
emporium_wait_http "$STATIC_URL/f/home/1.html" "$NGINX_PID" 20
enc="$(curl -sS -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{http_code} %header{content-encoding}' "$STATIC_URL/f/product/1.html?_b=1")"
[[ "$enc" == "200 gzip" ]] || { echo "[bench] nginx answered '$enc' for a saved page (want 200 gzip)" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# Lighthouse first, on a quiet machine (wrk would skew it). Warm the server up first.
# ---------------------------------------------------------------------------------------
for _ in 1 2 3; do curl -fsS -o /dev/null "$APP/" && curl -fsS -o /dev/null "$APP$PRODUCT_PATH"; done
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run"
for page in home product; do
  if [[ "$page" == home ]]; then url="$APP/"; else url="$APP$PRODUCT_PATH"; fi
  echo "[bench] lighthouse $url"
  # Mobile is Lighthouse's default form factor and throttling preset.
  lighthouse "$url" --quiet --output=json --output-path="$OUT/lighthouse-$page.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="$CHROME_FLAGS" --max-wait-for-load=45000
done

# ---------------------------------------------------------------------------------------
# Sign-in: 20 sequential sign-ins of the demo shopper, each dominated by one argon2id
# verification (19 MiB, t=2, p=1); quiet machine, so this is the cost of one hash. The
# throttle is not involved (each sign-in succeeds and clears the account's count). The
# last one's session is the signed-in member of the throughput runs.
# ---------------------------------------------------------------------------------------
: >"$OUT/sign-in-seconds.txt"
for _ in $(seq 1 20); do
  curl -sS -o /dev/null -D "$WORK/sign-in-headers.txt" -w '%{time_total}\n' --max-time 20 -X POST \
    -H 'Sec-Fetch-Site: same-origin' -H 'Content-Type: application/x-www-form-urlencoded' \
    --data 'email=demo%40emporium.test&password=plum-harbour-7319' \
    "$APP/api/account/sign-in" >>"$OUT/sign-in-seconds.txt"
done
sort -n "$OUT/sign-in-seconds.txt" | awk '{ms[NR] = $1 * 1000} END {
  printf "{\"sign_in_requests\": %d, \"sign_in_median_ms\": %.1f, \"sign_in_p90_ms\": %.1f, \"sign_in_min_ms\": %.1f}\n", NR, ms[int((NR + 1) / 2)], ms[int(NR * 0.9)], ms[1]
}' >"$OUT/sign-in.json"
echo "[bench] sign-in (one argon2id verification each): $(cat "$OUT/sign-in.json")"
MEMBER_COOKIE="$(grep -i '^set-cookie: __Host-emporium=' "$WORK/sign-in-headers.txt" | head -n 1 | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')"
[[ -n "$MEMBER_COOKIE" ]] || { echo "[bench] the demo shopper's sign-in set no session cookie" >&2; exit 1; }
member_check="$(curl -sS -o /dev/null -H "Cookie: $MEMBER_COOKIE" -w '%{http_code} %header{x-cache}' "$APP$PRODUCT_PATH")"
[[ "$member_check" == "200 " ]] || { echo "[bench] signed-in product page answered '$member_check' (want 200 and no x-cache)" >&2; exit 1; }

# ---------------------------------------------------------------------------------------
# wrk: one short warm-up per server, then every scenario on our server and on nginx.
# ---------------------------------------------------------------------------------------
run_wrk() { # run_wrk SCENARIO TARGET(app|nginx) LIST MODE DIST [COOKIE] [DURATION]
  local scenario="$1" target="$2" list="$3" mode="$4" dist="$5" cookie="${6:-}" duration="${7:-$DURATION}"
  local base name c0 c1 m0 m1 t0 t1 mb0 mt0 mb1 mt1
  local -a pids
  if [[ "$target" == app ]]; then
    base="$APP"
    pids=("$SERVER_PID")
  else
    base="$STATIC_URL"
    # The master and its workers (children).
    read -r -a pids <<<"$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
  fi
  name="$scenario-$target"
  echo "[bench] wrk $name: $(wc -l <"$URLS/$list.tsv") URLs of $list, $mode, $dist"
  c0="$(proc_ticks "${pids[@]}")"
  m0="$(machine_ticks)"
  t0="$(date +%s%N)"
  times >"$WORK/times0"
  BENCH_URLS="$URLS/$list.tsv" BENCH_COLUMN="$target" BENCH_MODE="$mode" BENCH_DIST="$dist" \
    BENCH_COOKIE="$cookie" BENCH_STATS="$OUT/wrk-$name.json" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency -s "$BENCH/pick.lua" "$base" \
    >"$OUT/wrk-$name.txt"
  times >"$WORK/times1"
  t1="$(date +%s%N)"
  m1="$(machine_ticks)"
  c1="$(proc_ticks "${pids[@]}")"
  read -r mb0 mt0 <<<"$m0"
  read -r mb1 mt1 <<<"$m1"
  printf '{"cpu_ticks": %d, "clk_tck": %d, "wall_ns": %d, "processes": %d, "wrk_cpu_ms": %d, "machine_busy_ticks": %d, "machine_total_ticks": %d}\n' \
    "$((c1 - c0))" "$CLK_TCK" "$((t1 - t0))" "${#pids[@]}" "$(($(children_ms "$WORK/times1") - $(children_ms "$WORK/times0")))" \
    "$((mb1 - mb0))" "$((mt1 - mt0))" >"$OUT/cpu-$name.json"
}

# name|list|mode|dist|targets|signed in|what it is
cat >"$WORK/scenarios.txt" <<'EOF'
home-uncached|home|uncached|uniform|app nginx|no|home page, every request rendered
product-uncached|product|uncached|uniform|app nginx|no|random product pages, every request rendered
category-uncached|category|uncached|uniform|app nginx|no|random category pages (sorts, pages), every request rendered
search-uncached|search|uncached|uniform|app nginx|no|random searches for title words, every request rendered
member-product|product|cached|uniform|app|yes|signed-in member, random product pages (a session is never cached)
mix-cached|mix|cached|zipf|app nginx|no|realistic mix: all pages, one Zipf popularity, micro-cache on
hot-cached|hot|cached|zipf|app nginx|no|the 50 top product pages, Zipf: nearly all micro-cache hits
EOF
cp "$WORK/scenarios.txt" "$OUT/scenarios.txt"

echo "[bench] warm-up"
run_wrk warmup app product uncached uniform "" 2s
run_wrk warmup nginx product uncached uniform "" 2s
rm -f "$OUT"/wrk-warmup-* "$OUT"/cpu-warmup-*
while IFS='|' read -r scenario list mode dist targets signed _; do
  cookie=""
  [[ "$signed" == yes ]] && cookie="$MEMBER_COOKIE"
  for target in $targets; do
    run_wrk "$scenario" "$target" "$list" "$mode" "$dist" "$cookie"
  done
done <"$WORK/scenarios.txt"

# ---------------------------------------------------------------------------------------
# Weight, while our server still runs (what it serves is what counts).
# ---------------------------------------------------------------------------------------
node "$BENCH/weight.mjs" --app "$APP" --home-html "$STATIC/f/home/1.html" --site-dir "$EMPORIUM_SITE_ROOT" \
  --hash-file "$(dirname "$EMPORIUM_BIN")/hash.txt" --lighthouse "$OUT/lighthouse-home.json" --out "$OUT/weight.json"

# ---------------------------------------------------------------------------------------
# Orders: 16 concurrent guest buyers, 8 orders each, on SQLite (this server), then on
# PostgreSQL (a second server with its own fresh demo database), one after the other.
# ---------------------------------------------------------------------------------------
"$BENCH/orders.sh" "$APP" sqlite "$OUT/orders-sqlite.json"
NGINX_VERSION="$("$NGINX" -v 2>&1 | sed 's/^nginx version: //')"
stop "$NGINX_PID"
NGINX_PID=""
stop "$SERVER_PID"
SERVER_PID=""

if [[ -n "${EMPORIUM_TEST_PG_URL:-}" ]]; then
  PG_BASE="${EMPORIUM_TEST_PG_URL%%\?*}"
  PG_URL="${PG_BASE%/*}/emporium_bench"
  psql -q "$EMPORIUM_TEST_PG_URL" -c 'DROP DATABASE IF EXISTS emporium_bench' -c 'CREATE DATABASE emporium_bench'
  PG_PORT="$(emporium_free_port)"
  echo "[bench] starting a server on PostgreSQL (demo import)"
  LEPTOS_SITE_ADDR="127.0.0.1:${PG_PORT}" DATABASE_URL="$PG_URL" "$EMPORIUM_BIN" --demo >"$WORK/server-pg.log" 2>&1 &
  PG_SERVER_PID=$!
  emporium_wait_http "http://127.0.0.1:${PG_PORT}/" "$PG_SERVER_PID" 300
  "$BENCH/orders.sh" "http://127.0.0.1:${PG_PORT}" postgres "$OUT/orders-postgres.json"
  stop "$PG_SERVER_PID"
  PG_SERVER_PID=""
else
  echo "[bench] EMPORIUM_TEST_PG_URL unset: no PostgreSQL figures (make bench sets it)"
fi

# ---------------------------------------------------------------------------------------
# SQL statements per page and per order: a separate server that logs every statement, on
# a copy of each database (no second demo import), requests one at a time.
# ---------------------------------------------------------------------------------------
count_sql() { # count_sql BACKEND DATABASE_URL
  local backend="$1" url="$2" port
  port="$(emporium_free_port)"
  LEPTOS_SITE_ADDR="127.0.0.1:${port}" DATABASE_URL="$url" RUST_LOG="warn,sqlx::query=debug" NO_COLOR=1 \
    "$EMPORIUM_BIN" --demo >"$WORK/server-sql-$backend.log" 2>&1 &
  COUNT_PID=$!
  emporium_wait_http "http://127.0.0.1:${port}/" "$COUNT_PID" 300
  node "$BENCH/sql-count.mjs" --app "http://127.0.0.1:${port}" --log "$WORK/server-sql-$backend.log" \
    --backend "$backend" --out "$OUT/sql-$backend.json" \
    --product "$PRODUCT_PATH" --category "$CATEGORY_PATH" --search "$SEARCH_PATH"
  stop "$COUNT_PID"
  COUNT_PID=""
}
# The SQLite file (and its WAL, if the server left one) as the timed server left it.
for suffix in "" -wal -shm; do
  [[ -f "$WORK/bench.db$suffix" ]] && cp "$WORK/bench.db$suffix" "$WORK/sql.db$suffix"
done
count_sql sqlite "sqlite://${WORK}/sql.db"
if [[ -n "${EMPORIUM_TEST_PG_URL:-}" ]]; then
  copied=""
  for _ in $(seq 1 20); do # the template must have no connections left
    if psql -q "$EMPORIUM_TEST_PG_URL" -c 'DROP DATABASE IF EXISTS emporium_bench_sql' \
      -c 'CREATE DATABASE emporium_bench_sql TEMPLATE emporium_bench' 2>"$WORK/psql.err"; then
      copied=1
      break
    fi
    sleep 0.5
  done
  [[ -n "$copied" ]] || { cat "$WORK/psql.err" >&2; exit 1; }
  count_sql postgres "${PG_BASE%/*}/emporium_bench_sql"
fi

# ---------------------------------------------------------------------------------------
# Figures: print, check, write results.json.
# ---------------------------------------------------------------------------------------
echo "[bench] finished measuring in $(($(date +%s) - STARTED_AT)) s"
node "$BENCH/report.mjs" --out "$OUT" --scenarios "$WORK/scenarios.txt" \
  --wrk "threads=$THREADS connections=$CONNECTIONS duration=$DURATION timeout=10s" \
  --nginx-version "$NGINX_VERSION" --postgres "$([[ -n "${EMPORIUM_TEST_PG_URL:-}" ]] && echo yes || echo no)"
