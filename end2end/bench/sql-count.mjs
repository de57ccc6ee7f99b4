// Counts the SQL statements our server runs for one page view and for one placed order.
//
// Run against a server of its own (never the one being timed) started with
// RUST_LOG=warn,sqlx::query=debug NO_COLOR=1 and its output in --log: sqlx logs every
// statement it executes as one tracing event, target `sqlx::query`. Requests go one at a
// time; after each we wait for the log to settle and count the events that appeared.
// Background jobs (session purge, payment recovery, the simulated carrier) can add
// statements at any moment: each window opens just after the carrier's once-a-second poll
// (see afterTick), and every figure is measured --repeat times and the minimum kept (all
// samples are in the output too).
//
// usage: node sql-count.mjs --app URL --log FILE --backend NAME --out FILE
//          --product PATH --category PATH --search PATH [--repeat 3] [--wait-ms 300]
import { openSync, readSync, fstatSync, closeSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { setTimeout as sleep } from "node:timers/promises";

const { values: args } = parseArgs({
  options: {
    app: { type: "string" },
    log: { type: "string" },
    backend: { type: "string" },
    out: { type: "string" },
    product: { type: "string" },
    category: { type: "string" },
    search: { type: "string" },
    repeat: { type: "string", default: "3" },
    "wait-ms": { type: "string", default: "300" },
  },
});
for (const k of ["app", "log", "backend", "out", "product", "category", "search"]) {
  if (!args[k]) throw new Error(`--${k} is required`);
}
const APP = args.app.replace(/\/$/, "");
const REPEAT = Number(args.repeat);
const WAIT = Number(args["wait-ms"]);

function fail(msg) {
  console.error(`[sql-count ${args.backend}] ${msg}`);
  process.exit(1);
}

// One event = one line that starts with the timestamp, then the level, then (after any
// span context) the target. A statement's SQL text is a quoted field of the same event
// (newlines escaped), so continuation lines, should there be any, do not start like this.
const EVENT = /^\S+\s+(?:TRACE|DEBUG|INFO|WARN|ERROR)\s+(?:\S+:\s+)*?sqlx::query:/;
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, "");

function logSize() {
  const fd = openSync(args.log, "r");
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
function logSince(offset) {
  const fd = openSync(args.log, "r");
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buf, 0, buf.length, offset);
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}
const countEvents = (text) => text.split("\n").filter((l) => EVENT.test(stripAnsi(l))).length;

/**
 * Start right after a background tick. The simulated carrier polls once a second (one
 * statement), so a window that opens just after its tick and lasts well under a second
 * sees none of it. Waits up to 1.5 s for the log to grow, then 50 ms for that tick to end.
 */
async function afterTick() {
  const start = logSize();
  for (let waited = 0; waited < 1500; waited += 10) {
    await sleep(10);
    if (logSize() !== start) break;
  }
  await sleep(50);
}

/** Statements logged while fn runs (and WAIT ms after). Returns [count, fn's result]. */
async function counted(fn) {
  await afterTick(); // the previous window ended WAIT ms after its request: all landed
  const mark = logSize();
  const result = await fn();
  await sleep(WAIT);
  return [countEvents(logSince(mark)), result];
}

async function request(method, path, { cookie, form, headers = {} } = {}) {
  const h = { accept: "*/*", "accept-encoding": "br, gzip", ...headers };
  if (cookie) h.cookie = cookie;
  if (method === "POST") {
    h["sec-fetch-site"] = "same-origin";
    h["content-type"] = "application/x-www-form-urlencoded";
  }
  const res = await fetch(APP + path, { method, headers: h, body: method === "POST" ? form ?? "" : undefined, redirect: "manual" });
  const body = await res.text();
  if (res.status < 200 || res.status >= 300) fail(`${method} ${path} answered ${res.status}: ${body.slice(0, 200)}`);
  return { status: res.status, headers: res.headers, body };
}
const sessionCookie = (res) => {
  const c = res.headers.getSetCookie().find((v) => v.startsWith("__Host-emporium="));
  return c ? c.split(";")[0] : null;
};

let unique = 0;
const bust = (path) => `${path}${path.includes("?") ? "&" : "?"}_b=sql-${Date.now()}-${++unique}`;

// Warm-up, not counted: first connections, prepared statements, the 60 s home-feed cache.
for (const p of ["/", args.category, args.search, args.product]) await request("GET", bust(p));

const signIn = await request("POST", "/api/account/sign-in", { form: "email=demo%40emporium.test&password=plum-harbour-7319" });
const member = sessionCookie(signIn);
if (!member) fail("sign-in set no __Host-emporium cookie");
await request("GET", args.product, { cookie: member });

const samples = {
  idle: [],
  home: [],
  category: [],
  search: [],
  product_anonymous: [],
  product_member: [],
  cart_add: [],
  checkout_start: [],
  card_token: [],
  place_order: [],
  purchase_total: [],
};

// In-stock products for the purchases, one per purchase (from the category's listing).
const listing = await request("GET", bust(`${args.category.split("?")[0]}?stock=in`));
const codes = [...new Set([...listing.body.matchAll(/href="\/p\/([^"#?]+)"/g)].map((m) => m[1]))];
if (codes.length < REPEAT) fail(`only ${codes.length} in-stock products on ${args.category}?stock=in`);

for (let i = 0; i < REPEAT; i++) {
  samples.idle.push((await counted(async () => {}))[0]);
  samples.home.push((await counted(() => request("GET", bust("/"))))[0]);
  samples.category.push((await counted(() => request("GET", bust(args.category))))[0]);
  samples.search.push((await counted(() => request("GET", bust(args.search))))[0]);
  samples.product_anonymous.push((await counted(() => request("GET", bust(args.product))))[0]);
  const [m, res] = await counted(() => request("GET", args.product, { cookie: member }));
  if (res.headers.get("x-cache")) fail(`the signed-in product page said x-cache: ${res.headers.get("x-cache")}`);
  samples.product_member.push(m);

  // One purchase by a new guest, the four requests of end2end/bench/orders.sh.
  const code = codes[i];
  const [add, added] = await counted(() => request("POST", "/api/cart/add", { form: `code=${code}&quantity=1` }));
  const guest = sessionCookie(added);
  if (!guest) fail("adding to the cart set no session cookie");
  const [start, started] = await counted(() => request("POST", "/api/checkout/start", { cookie: guest }));
  const checkout = /"checkout_token":"([^"]*)"/.exec(started.body)?.[1];
  if (!checkout) fail(`no checkout_token from /api/checkout/start: ${started.body.slice(0, 200)}`);
  const [tok, tokenRes] = await counted(() => request("POST", "/pay/sim/tokens", { form: "card_number=4242424242424242" }));
  const token = /"token":"([^"]*)"/.exec(tokenRes.body)?.[1];
  if (!token) fail(`no token from /pay/sim/tokens: ${tokenRes.body.slice(0, 200)}`);
  const form =
    `order[idempotency_key]=sqlcount-${args.backend}-${Date.now()}-${i}&order[checkout_token]=${checkout}` +
    `&order[email]=sqlcount${i}%40example.com&order[address][full_name]=Bench+Buyer&order[address][line1]=1+High+Street&order[address][city]=London` +
    `&order[address][postcode]=SW1A+1AA&order[address][country]=GB&order[delivery_option]=standard&order[payment_method]=card&order[payment_token]=${token}`;
  const [place, placed] = await counted(() => request("POST", "/api/checkout/place", { cookie: guest, form }));
  if (!placed.body.includes('"state":"Paid"')) fail(`order not paid: ${placed.body.slice(0, 200)}`);
  samples.cart_add.push(add);
  samples.checkout_start.push(start);
  samples.card_token.push(tok);
  samples.place_order.push(place);
  samples.purchase_total.push(add + start + tok + place);
}

const min = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, Math.min(...v)]));
const result = {
  backend: args.backend,
  repeat: REPEAT,
  wait_ms: WAIT,
  paths: { product: args.product, category: args.category, search: args.search },
  statements: min,
  samples,
};
writeFileSync(args.out, JSON.stringify(result, null, 2) + "\n");
console.log(`[sql-count ${args.backend}] ${JSON.stringify(min)}`);
if (min.purchase_total === 0) {
  fail("no sqlx::query events counted for a whole purchase: is RUST_LOG=warn,sqlx::query=debug set?");
}
