// Crunches the benchmark's raw output into target/bench/results.json and a summary on
// stdout, with the targets and PASS/FAIL beside the measured figures. Called by
// end2end/bench/run.sh, which documents what is measured and why.
//
// A missed target is printed, not fatal. The run fails (exit 1) when a figure is missing
// or any answer measured was not 2xx, since a benchmark of error pages measures nothing.
//
// usage: node report.mjs --out DIR --scenarios FILE [--wrk "description"]
//                        [--nginx-version V] [--postgres yes|no]
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    out: { type: "string" },
    scenarios: { type: "string" },
    wrk: { type: "string", default: "" },
    "nginx-version": { type: "string", default: "" },
    postgres: { type: "string", default: "yes" },
  },
});
for (const k of ["out", "scenarios"]) {
  if (!args[k]) throw new Error(`--${k} is required`);
}
const OUT = args.out;
const withPg = args.postgres === "yes";
const problems = []; // reasons to fail the run
const readJson = (name, required = true) => {
  const file = join(OUT, name);
  if (!existsSync(file)) {
    if (required) problems.push(`missing ${name}`);
    return null;
  }
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    problems.push(`${name} is not JSON: ${e.message}`);
    return null;
  }
};
const round = (v, d = 1) => (v == null || !Number.isFinite(v) ? null : Math.round(v * 10 ** d) / 10 ** d);
const ratio = (a, b) => (a != null && b ? round(a / b, 3) : null);

// ---------------------------------------------------------------------------------------
// Throughput
// ---------------------------------------------------------------------------------------
const scenarios = readFileSync(args.scenarios, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [name, list, mode, dist, targets, signed, description] = line.split("|");
    return { name, list, mode, dist, targets: targets.split(" "), signed_in: signed === "yes", description };
  });

function run(scenario, target) {
  const name = `${scenario.name}-${target}`;
  const w = readJson(`wrk-${name}.json`);
  const c = readJson(`cpu-${name}.json`);
  if (!w || !c) return null;
  if (!w.requests) problems.push(`${name}: wrk completed no requests`);
  if (w.non_2xx > 0 || w.errors.status > 0) {
    problems.push(`${name}: ${w.non_2xx} non-2xx answers (first: ${w.first_non_2xx}; statuses ${JSON.stringify(w.statuses)})`);
  }
  const seconds = w.duration_us / 1e6;
  const cpuSeconds = c.cpu_ticks / c.clk_tck;
  const looked = w.x_cache.hit + w.x_cache.miss;
  const r = {
    requests: w.requests,
    requests_per_sec: round(w.requests / seconds),
    latency_ms: {
      mean: round(w.latency_us.mean / 1000, 2),
      p50: round(w.latency_us.p50 / 1000, 2),
      p90: round(w.latency_us.p90 / 1000, 2),
      p99: round(w.latency_us.p99 / 1000, 2),
      max: round(w.latency_us.max / 1000, 2),
    },
    // The server's own CPU (all its threads; for nginx master + workers) per request.
    cpu_us_per_request: w.requests ? round((cpuSeconds * 1e6) / w.requests) : null,
    server_cores_busy: round(cpuSeconds / (c.wall_ns / 1e9), 2),
    wrk_cores_busy: c.wrk_cpu_ms == null ? null : round(c.wrk_cpu_ms / 1000 / (c.wall_ns / 1e9), 2),
    machine_busy_percent: c.machine_total_ticks ? round((100 * c.machine_busy_ticks) / c.machine_total_ticks) : null,
    // CPU that was neither the server nor wrk (another build or test run skews everything).
    other_cpu_percent:
      c.machine_total_ticks && c.wrk_cpu_ms != null
        ? round(Math.max(0, (100 * (c.machine_busy_ticks / c.clk_tck - cpuSeconds - c.wrk_cpu_ms / 1000)) / (c.machine_total_ticks / c.clk_tck)))
        : null,
    bytes_per_response: w.requests ? Math.round(w.bytes / w.requests) : null,
    x_cache: w.x_cache,
    hit_rate: looked ? round(w.x_cache.hit / looked, 4) : null,
    encoding: w.encoding,
    statuses: w.statuses,
    non_2xx: w.non_2xx,
    socket_errors: w.errors,
  };
  if (target === "app") {
    if (scenario.mode === "uncached" && w.x_cache.hit > 0) {
      problems.push(`${name}: ${w.x_cache.hit} micro-cache hits in an uncached run (the _b parameter did not make URLs unique)`);
    }
    if (scenario.signed_in && looked > 0) {
      problems.push(`${name}: ${looked} answers carried x-cache: the session cookie was not recognised`);
    }
  }
  return r;
}

const throughput = scenarios.map((s) => {
  const out = { scenario: s.name, description: s.description, list: s.list, mode: s.mode, distribution: s.dist, signed_in: s.signed_in };
  for (const t of ["app", "nginx"]) out[t] = s.targets.includes(t) ? run(s, t) : null;
  out.urls = readJson(`wrk-${s.name}-app.json`, false)?.urls ?? null;
  return out;
});
// The signed-in run has no nginx twin of its own: the same product pages as files are.
const productRun = throughput.find((t) => t.scenario === "product-uncached");
for (const t of throughput) {
  if (!t.nginx && t.list === "product" && productRun?.nginx) {
    t.nginx_reference = "product-uncached";
  }
  const n = t.nginx ?? (t.nginx_reference ? productRun.nginx : null);
  t.rps_ratio_app_over_nginx = ratio(t.app?.requests_per_sec, n?.requests_per_sec);
  t.cpu_ratio_app_over_nginx = ratio(t.app?.cpu_us_per_request, n?.cpu_us_per_request);
}
const byName = Object.fromEntries(throughput.map((t) => [t.scenario, t]));

// The cost of a hit alone: the hot run's CPU minus its misses at the uncached product cost.
const hot = byName["hot-cached"]?.app;
const productUs = byName["product-uncached"]?.app?.cpu_us_per_request;
let hitOnlyUs = null;
if (hot && productUs != null && hot.x_cache.hit > 0) {
  const total = hot.cpu_us_per_request * hot.requests;
  hitOnlyUs = round(Math.max(0, total - hot.x_cache.miss * productUs) / hot.x_cache.hit);
}

// ---------------------------------------------------------------------------------------
// SQL statements, Lighthouse, sign-in, orders, weight, URL lists
// ---------------------------------------------------------------------------------------
const preflight = readJson("preflight.json", false);
const sql = { sqlite: readJson("sql-sqlite.json"), postgres: readJson("sql-postgres.json", withPg) };

function lighthouse(page) {
  const lhr = readJson(`lighthouse-${page}.json`);
  if (!lhr) return null;
  const score = (c) => (lhr.categories?.[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100));
  const audit = (a) => lhr.audits?.[a]?.numericValue ?? null;
  const r = {
    page,
    url: lhr.finalDisplayedUrl ?? lhr.finalUrl,
    lighthouse_version: lhr.lighthouseVersion,
    form_factor: lhr.configSettings?.formFactor,
    runtime_error: lhr.runtimeError?.message ?? null,
    run_warnings: lhr.runWarnings ?? [],
    performance: score("performance"),
    accessibility: score("accessibility"),
    best_practices: score("best-practices"),
    seo: score("seo"),
    lcp_ms: audit("largest-contentful-paint") == null ? null : Math.round(audit("largest-contentful-paint")),
    tbt_ms: audit("total-blocking-time") == null ? null : Math.round(audit("total-blocking-time")),
    cls: audit("cumulative-layout-shift") == null ? null : round(audit("cumulative-layout-shift"), 3),
    fcp_ms: audit("first-contentful-paint") == null ? null : Math.round(audit("first-contentful-paint")),
    failed_audits: Object.values(lhr.audits ?? {})
      .filter((a) => a.score !== null && a.score < 0.9)
      .map((a) => a.id),
  };
  // A page whose wasm did not load (say, the site was rebuilt during the run) never
  // hydrates, and scores like a static page: that is no measurement of ours.
  const requests = lhr.audits?.["network-requests"]?.details?.items ?? [];
  const origin = r.url ? new URL(r.url).origin : null;
  const own = requests.filter((q) => q.url && origin && new URL(q.url).origin === origin);
  r.failed_requests = own.filter((q) => !(q.statusCode >= 200 && q.statusCode < 400)).map((q) => `${q.statusCode} ${q.url}`);
  r.wasm_loaded = own.some((q) => /\/pkg\/[^/]*\.wasm$/.test(new URL(q.url).pathname) && q.statusCode === 200);
  if (!r.wasm_loaded) problems.push(`lighthouse ${page}: the page's wasm was not loaded with 200, so hydration was not measured`);
  if (r.failed_requests.length) problems.push(`lighthouse ${page}: failed requests ${r.failed_requests.join(", ")}`);
  if (r.runtime_error) problems.push(`lighthouse ${page}: ${r.runtime_error}`);
  if (r.performance == null || r.accessibility == null) problems.push(`lighthouse ${page}: no performance/accessibility score`);
  return r;
}
const lh = ["home", "product"].map(lighthouse).filter(Boolean);
const signIn = readJson("sign-in.json");
const orders = { sqlite: readJson("orders-sqlite.json"), postgres: readJson("orders-postgres.json", withPg) };
const weight = readJson("weight.json");
const urls = readJson("urls.json");

// ---------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------
const KB = 1000; // the stricter reading of "KB"
const targets = [];
const target = (what, measured, limit, ok, unit = "") =>
  targets.push({ target: what, measured, limit, unit, result: measured == null ? "NO DATA" : ok ? "PASS" : "FAIL" });

const bi = weight?.before_interactive?.brotli_bytes ?? null;
target("home page wasm+JS before interactive (brotli)", bi == null ? null : round(bi / KB), "<= 150", bi != null && bi <= 150 * KB, "KB");
const chunks = weight?.route_chunks?.chunks ?? [];
const biggest = chunks.reduce((m, c) => (m && m.total_brotli_bytes >= c.total_brotli_bytes ? m : c), null);
target(
  `largest route chunk, own + shared (brotli)${biggest ? ": " + biggest.name : ""}`,
  biggest ? round(biggest.total_brotli_bytes / KB) : null,
  "<= 120",
  biggest != null && biggest.total_brotli_bytes <= 120 * KB,
  "KB",
);
const biggestOwn = chunks.reduce((m, c) => (m && m.own_brotli_bytes >= c.own_brotli_bytes ? m : c), null);
target(
  `largest route chunk, its split_* file alone (brotli)${biggestOwn ? ": " + biggestOwn.name : ""}`,
  biggestOwn ? round(biggestOwn.own_brotli_bytes / KB) : null,
  "<= 120",
  biggestOwn != null && biggestOwn.own_brotli_bytes <= 120 * KB,
  "KB",
);
for (const l of lh) {
  target(`Lighthouse mobile performance, ${l.page}`, l.performance, ">= 95", l.performance >= 95);
  target(`Lighthouse mobile accessibility, ${l.page}`, l.accessibility, ">= 95", l.accessibility >= 95);
  target(`Lighthouse mobile TBT, ${l.page}`, l.tbt_ms, "< 100", l.tbt_ms != null && l.tbt_ms < 100, "ms");
}
const us = (name) => byName[name]?.app?.cpu_us_per_request ?? null;
target("uncached anonymous product page, server CPU", us("product-uncached"), "<= 400", us("product-uncached") <= 400, "µs/req");
target("signed-in product page, server CPU", us("member-product"), "<= 500", us("member-product") <= 500, "µs/req");
for (const [backend, s] of Object.entries(sql)) {
  if (!s) continue;
  target(`signed-in product page, SQL statements (${backend})`, s.statements.product_member, "<= 4", s.statements.product_member <= 4);
}
target(
  `micro-cache hit, server CPU (hot run, hit rate ${hot?.hit_rate == null ? "-" : (hot.hit_rate * 100).toFixed(1) + "%"})`,
  us("hot-cached"),
  "<= 20",
  us("hot-cached") <= 20,
  "µs/req",
);
for (const [backend, s] of Object.entries(sql)) {
  if (!s) continue;
  target(`placing an order (/api/checkout/place), SQL statements (${backend})`, s.statements.place_order, "<= 20", s.statements.place_order <= 20);
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------
const results = {
  generated_at: new Date().toISOString(),
  machine: {
    cores: cpus().length,
    note: "wrk and the servers share these cores: compare ratios and CPU µs per request, not absolute req/s",
  },
  wrk: args.wrk + " Accept-Encoding: br, gzip; URL varies per request (pick.lua)",
  nginx: {
    version: args["nginx-version"],
    worker_processes: 2,
    access_log: "off",
    compression: "gzip_static (pages stored gzip -9; nginx-light has no brotli)",
  },
  preflight,
  url_lists: urls,
  throughput,
  micro_cache_hit_only_cpu_us_estimate: hitOnlyUs,
  sql_statements: sql,
  lighthouse: lh,
  sign_in: signIn,
  orders,
  weight,
  targets,
  problems,
};
writeFileSync(join(OUT, "results.json"), JSON.stringify(results, null, 2) + "\n");

const pad = (v, n) => String(v ?? "-").padStart(n);
const padEnd = (v, n) => String(v ?? "-").padEnd(n);
const f = (v, d = 1) => (v == null ? "-" : Number(v).toFixed(d));
const pct = (v) => (v == null ? "-" : (v * 100).toFixed(1) + "%");
const kb = (b) => (b == null ? "-" : (b / KB).toFixed(1));

console.log(`\nThroughput (wrk ${args.wrk}; Accept-Encoding: br, gzip; a new URL every request)`);
console.log("  app = our server; nginx = the same pages saved as files (gzip_static); µs = server CPU per request");
console.log(
  padEnd("scenario", 18) + pad("urls", 5) + pad("app req/s", 11) + pad("p99 ms", 8) + pad("µs/req", 8) + pad("hit", 7) +
    pad("nginx req/s", 13) + pad("p99 ms", 8) + pad("µs/req", 8) + pad("req/s ×", 9) + pad("µs ×", 7) + pad("app B", 8) + pad("ngx B", 7),
);
for (const t of throughput) {
  const n = t.nginx ?? (t.nginx_reference ? productRun.nginx : null);
  const star = t.nginx_reference ? "*" : "";
  console.log(
    padEnd(t.scenario, 18) + pad(t.urls, 5) + pad(f(t.app?.requests_per_sec), 11) + pad(f(t.app?.latency_ms.p99, 2), 8) +
      pad(f(t.app?.cpu_us_per_request, 0), 8) + pad(t.mode === "cached" && !t.signed_in ? pct(t.app?.hit_rate) : "-", 7) +
      pad(f(n?.requests_per_sec) + star, 13) + pad(f(n?.latency_ms.p99, 2), 8) + pad(f(n?.cpu_us_per_request, 0), 8) +
      pad(f(t.rps_ratio_app_over_nginx, 3), 9) + pad(f(t.cpu_ratio_app_over_nginx, 1), 7) +
      pad(t.app?.bytes_per_response, 8) + pad(n?.bytes_per_response, 7),
  );
}
console.log("  req/s × = app/nginx requests per second (higher is better); µs × = app/nginx CPU per request");
console.log("  * no nginx run of its own: the product-uncached nginx figures (same pages as files)");
if (hitOnlyUs != null) console.log(`  micro-cache hit alone (hot run minus its misses at the uncached product cost): ~${hitOnlyUs} µs`);
const busy = throughput.flatMap((t) =>
  ["app", "nginx"].filter((k) => t[k]?.other_cpu_percent > 10).map((k) => `${t.scenario}-${k} ${t[k].other_cpu_percent}%`),
);
if (busy.length) console.log(`  WARNING: other processes took CPU during: ${busy.join(", ")}. These figures are skewed; run again on a quiet machine.`);
if (preflight?.machine_busy_percent_before_start > 20) {
  console.log(`  WARNING: the machine was ${preflight.machine_busy_percent_before_start}% busy before the benchmark started.`);
}
for (const t of throughput) {
  const e = t.app?.encoding;
  if (e && e.br !== t.app.requests) console.log(`  note: ${t.scenario} app encodings ${JSON.stringify(e)}`);
}

console.log("\nSQL statements per request (fewest of 3 tries; separate server logging sqlx::query)");
const sqlRows = [
  ["home", "home"],
  ["category page", "category"],
  ["search", "search"],
  ["product page, anonymous (uncached)", "product_anonymous"],
  ["product page, signed in", "product_member"],
  ["order: add to cart", "cart_add"],
  ["order: /api/checkout/start", "checkout_start"],
  ["order: card token (simulated provider)", "card_token"],
  ["order: /api/checkout/place", "place_order"],
  ["order: whole purchase (4 requests)", "purchase_total"],
  ["(idle 300 ms, background jobs)", "idle"],
];
console.log(padEnd("", 40) + pad("sqlite", 8) + pad("postgres", 10));
for (const [label, key] of sqlRows) {
  console.log(padEnd(label, 40) + pad(sql.sqlite?.statements[key], 8) + pad(sql.postgres?.statements[key], 10));
}

console.log(`\nLighthouse ${lh[0]?.lighthouse_version ?? ""} (mobile preset)`);
console.log(padEnd("page", 10) + pad("perf", 6) + pad("a11y", 6) + pad("bp", 6) + pad("seo", 6) + pad("LCP ms", 9) + pad("TBT ms", 9) + pad("CLS", 8));
for (const l of lh) {
  console.log(
    padEnd(l.page, 10) + pad(l.performance, 6) + pad(l.accessibility, 6) + pad(l.best_practices, 6) + pad(l.seo, 6) +
      pad(l.lcp_ms, 9) + pad(l.tbt_ms, 9) + pad(l.cls, 8) + (l.runtime_error ? "  ERROR: " + l.runtime_error : ""),
  );
}

if (signIn) console.log(`\nSign-in (argon2id): median ${signIn.sign_in_median_ms} ms, p90 ${signIn.sign_in_p90_ms} ms over ${signIn.sign_in_requests}`);
console.log("\nOrders, 16 concurrent buyers (orders.sh)");
for (const o of Object.values(orders)) {
  if (o) console.log(`  ${padEnd(o.backend, 9)} ${o.orders} orders, ${o.orders_per_second} orders/s, place p50 ${o.place_median_ms} ms, p99 ${o.place_p99_ms} ms`);
}

if (weight) {
  const w = weight.home.brotli_bytes;
  console.log("\nHome page weight, brotli -q 11 bytes");
  console.log(pad("html", 8) + pad("js", 9) + pad("wasm", 9) + pad("css", 8) + pad("total", 9));
  console.log(pad(w.html, 8) + pad(w.js, 9) + pad(w.wasm, 9) + pad(w.css, 8) + pad(w.total_html_js_wasm_css, 9));
  for (const file of weight.home.files) {
    console.log(
      "  " + padEnd(file.kind, 6) + pad(file.brotli_bytes, 9) + " br  " + pad(file.raw_bytes, 9) + " raw  served " +
        (file.served ? `${file.served.bytes} ${file.served.encoding}` : "-") + "  " + new URL(file.url).pathname,
    );
  }
  console.log(`\nHome page wasm + JS before interactive: ${weight.before_interactive.brotli_bytes} B brotli`);
  for (const file of weight.before_interactive.files) {
    console.log("  " + pad(file.brotli_bytes, 9) + " br  " + pad(file.raw_bytes, 9) + " raw  " + padEnd(file.path, 48) + " " + file.why);
  }
  console.log("\nRoute chunks (lazy, fetched on first visit), brotli bytes");
  console.log(padEnd("chunk", 16) + pad("own", 9) + pad("shared", 9) + pad("total", 9) + pad("", 8) + "  files (own file + shared chunk_* files)");
  for (const c of chunks) {
    const own = c.files.filter((x) => x.role === "own").map((x) => x.file);
    const shared = c.files.length - own.length;
    console.log(
      padEnd(c.name, 16) + pad(c.own_brotli_bytes, 9) + pad(c.shared_brotli_bytes, 9) + pad(c.total_brotli_bytes, 9) +
        padEnd(c.total_brotli_bytes > 120 * KB ? " >120KB" : "", 8) + "  " + own.join(" ") + ` + ${shared} shared`,
    );
  }
}

console.log("\nTargets (a miss is reported, not fatal)");
for (const t of targets) {
  console.log(
    "  " + padEnd(t.result, 8) + padEnd(t.target, 76) + pad(t.measured, 9) + " " + padEnd(t.unit, 7) + " target " + t.limit + (t.unit ? " " + t.unit : ""),
  );
}
if (urls) {
  const c = urls.counts;
  console.log(
    `\nURL lists: ${c.product} product pages (of ${urls.products_wanted} wanted), ${c.category} category URLs ` +
      `(${urls.categories.length} categories × ${urls.sorts.length} sorts × up to ${urls.category_pages_per_sort} pages), ` +
      `${c.search} search terms, mix of ${c.mix}, hot ${c.hot}`,
  );
}
console.log(`All figures: ${join(OUT, "results.json")}`);

if (problems.length) {
  console.error("\n[bench] the run is not valid:");
  for (const p of problems) console.error("  - " + p);
  process.exit(1);
}
