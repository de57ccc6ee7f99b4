#!/usr/bin/env bash
# Order placement under load, over HTTP against a running release server:
#   end2end/bench/orders.sh APP_URL LABEL OUT_JSON [BUYERS] [ORDERS_PER_BUYER]
#
# BUYERS (default 16) guest shoppers run at once, each placing ORDERS_PER_BUYER (default 8)
# orders one after the other, as a browser would: add a product to the cart (the first add
# starts the guest session), hold the stock (/api/checkout/start), tokenise the test card
# at the simulated provider, place the order (/api/checkout/place, a fresh idempotency
# key each time). Every buyer buys a different in-stock product, so the figures measure the
# shop, not a queue on one row.
#
# Reported: orders per second over the whole run (all four requests of each order count,
# from the first request to the last answer) and the latency of the placing request alone
# (median, p90, p99, max). Every placed order must come back paid: a failure stops the run.
# Client and server share the machine's cores; compare runs on the same machine.
set -euo pipefail

APP="$1"
LABEL="$2"
OUT_JSON="$3"
BUYERS="${4:-16}"
PER_BUYER="${5:-8}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/emporium-orders.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

post() { # post PATH DATA [COOKIE]: body on stdout; fails on a non-2xx answer.
  local cookie=()
  [[ -n "${3:-}" ]] && cookie=(-H "Cookie: $3")
  curl -fsS --max-time 30 -X POST -H 'Sec-Fetch-Site: same-origin' \
    -H 'Content-Type: application/x-www-form-urlencoded' "${cookie[@]}" --data "$2" "$APP$1"
}

# Products with plenty of stock, one per buyer, from category pages of the running shop.
: >"$WORK/codes.txt"
for slug in kitchen home-decor lighting bags stationery gift-wrap storage garden; do
  curl -fsS --max-time 20 "$APP/c/$slug?stock=in" | grep -o 'href="/p/[^"#?]*' | sed 's#^href="/p/##' >>"$WORK/codes.txt" || true
done
sort -u "$WORK/codes.txt" -o "$WORK/codes.txt"
if (($(wc -l <"$WORK/codes.txt") < BUYERS)); then
  echo "[orders] found only $(wc -l <"$WORK/codes.txt") products for $BUYERS buyers" >&2
  exit 1
fi

buyer() { # buyer N: place PER_BUYER orders; one line of seconds per placing request.
  local n="$1" code cookie headers token checkout started placed i
  code="$(sed -n "$((n + 1))p" "$WORK/codes.txt")"
  for i in $(seq 1 "$PER_BUYER"); do
    headers="$WORK/h-$n"
    curl -fsS --max-time 30 -D "$headers" -o /dev/null -X POST -H 'Sec-Fetch-Site: same-origin' \
      -H 'Content-Type: application/x-www-form-urlencoded' ${cookie:+-H "Cookie: $cookie"} \
      --data "code=$code&quantity=1" "$APP/api/cart/add"
    if [[ -z "${cookie:-}" ]]; then
      cookie="$(grep -i '^set-cookie: __Host-emporium=' "$headers" | head -n 1 | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')"
      [[ -n "$cookie" ]] || { echo "[orders] buyer $n got no session cookie" >&2; return 1; }
    fi
    started="$(post /api/checkout/start '' "$cookie")"
    checkout="$(sed -n 's/.*"checkout_token":"\([^"]*\)".*/\1/p' <<<"$started")"
    token="$(post /pay/sim/tokens 'card_number=4242424242424242' | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
    placed="$(curl -fsS --max-time 30 -w '\n%{time_total}' -X POST -H 'Sec-Fetch-Site: same-origin' \
      -H 'Content-Type: application/x-www-form-urlencoded' -H "Cookie: $cookie" \
      --data "order[idempotency_key]=bench-$LABEL-$n-$i-$RANDOM$RANDOM&order[checkout_token]=$checkout&order[email]=bench$n%40example.com&order[address][full_name]=Bench+Buyer&order[address][line1]=1+High+Street&order[address][city]=London&order[address][postcode]=SW1A+1AA&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]=$token" \
      "$APP/api/checkout/place")"
    grep -q '"state":"Paid"' <<<"$placed" || { echo "[orders] buyer $n order $i not paid: $placed" >&2; return 1; }
    tail -n 1 <<<"$placed" >>"$WORK/place-$n.txt"
  done
}

start_ns="$(date +%s%N)"
pids=()
for n in $(seq 0 $((BUYERS - 1))); do
  buyer "$n" &
  pids+=("$!")
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
end_ns="$(date +%s%N)"
((failed == 0)) || { echo "[orders] a buyer failed" >&2; exit 1; }

cat "$WORK"/place-*.txt | sort -n | awk -v label="$LABEL" -v buyers="$BUYERS" \
  -v wall_ns="$((end_ns - start_ns))" '{ms[NR] = $1 * 1000} END {
  idx50 = int((NR + 1) / 2); idx90 = int(NR * 0.90); idx99 = int(NR * 0.99); if (idx99 < 1) idx99 = 1
  printf "{\"backend\": \"%s\", \"buyers\": %d, \"orders\": %d, \"orders_per_second\": %.1f, \"place_median_ms\": %.1f, \"place_p90_ms\": %.1f, \"place_p99_ms\": %.1f, \"place_max_ms\": %.1f}\n",
    label, buyers, NR, NR / (wall_ns / 1e9), ms[idx50], ms[idx90], ms[idx99], ms[NR]
}' >"$OUT_JSON"
echo "[orders] $(cat "$OUT_JSON")"
