// Crunches the benchmark's raw output (wrk text, Lighthouse JSON, the saved HTML) into
// target/bench/results.json and a table on stdout. Called by end2end/bench/run.sh, which
// documents what is measured and why.
//
// usage: node report.mjs --app URL --pages FILE --static-dir DIR --out DIR
//                        [--wrk "description"] [--nginx-version V]
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    app: { type: "string" },
    pages: { type: "string" },
    "static-dir": { type: "string" },
    out: { type: "string" },
    wrk: { type: "string", default: "" },
    "nginx-version": { type: "string", default: "" },
  },
});
for (const k of ["app", "pages", "static-dir", "out"]) {
  if (!args[k]) throw new Error(`--${k} is required`);
}
const APP = args.app.replace(/\/$/, "");
const OUT = args.out;

// ---------------------------------------------------------------------------------------
// wrk
// ---------------------------------------------------------------------------------------

/** "1.23ms" | "456.00us" | "1.02s" | "2.5m" -> milliseconds */
export function durationMs(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!m) return null;
  const v = Number(m[1]);
  return { us: v / 1000, ms: v, s: v * 1000, m: v * 60_000 }[m[2]];
}

/** Parses `wrk --latency` output. Fields are null when wrk printed no such line. */
export function parseWrk(text) {
  const num = (re) => {
    const m = re.exec(text);
    return m ? Number(m[1]) : null;
  };
  const lat = (pct) => {
    const m = new RegExp(`^\\s*${pct}%\\s+(\\S+)`, "m").exec(text);
    return m ? durationMs(m[1]) : null;
  };
  const avg = /^\s*Latency\s+(\S+)/m.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    requests_per_sec: num(/^Requests\/sec:\s+([\d.]+)/m),
    requests: num(/^\s*(\d+) requests in/m),
    latency_avg_ms: avg ? durationMs(avg[1]) : null,
    latency_p50_ms: lat(50),
    latency_p90_ms: lat(90),
    latency_p99_ms: lat(99),
    non_2xx_3xx: num(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0,
    socket_errors: socket
      ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] }
      : null,
  };
}

const pages = readFileSync(args.pages, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const [name, path, file] = line.split("|");
    return { name, path, file };
  });

// Search without the page cache (end2end/bench/search-uncached.lua): the engine's own cost.
const uncachedFile = join(OUT, "wrk-search-uncached-app.txt");
const searchUncached = existsSync(uncachedFile) ? parseWrk(readFileSync(uncachedFile, "utf8")) : null;

const throughput = pages.map(({ name, path, file }) => {
  const app = parseWrk(readFileSync(join(OUT, `wrk-${name}-app.txt`), "utf8"));
  const nginx = parseWrk(readFileSync(join(OUT, `wrk-${name}-nginx.txt`), "utf8"));
  const ratio = (a, b) => (a != null && b ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    page: name,
    path,
    static_file: file,
    html_bytes: readFileSync(join(args["static-dir"], file)).length,
    app,
    nginx,
    // The figure to compare between runs: both measured here, now, on the same cores.
    rps_ratio_app_over_nginx: ratio(app.requests_per_sec, nginx.requests_per_sec),
    p99_ratio_app_over_nginx: ratio(app.latency_p99_ms, nginx.latency_p99_ms),
  };
});

// ---------------------------------------------------------------------------------------
// Lighthouse
// ---------------------------------------------------------------------------------------
function lighthouse(page) {
  const file = join(OUT, `lighthouse-${page}.json`);
  if (!existsSync(file)) return null;
  const lhr = JSON.parse(readFileSync(file, "utf8"));
  const score = (c) => (lhr.categories[c]?.score == null ? null : Math.round(lhr.categories[c].score * 100));
  const audit = (a) => lhr.audits[a]?.numericValue ?? null;
  return {
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
    cls: audit("cumulative-layout-shift") == null ? null : Math.round(audit("cumulative-layout-shift") * 1000) / 1000,
    fcp_ms: audit("first-contentful-paint") == null ? null : Math.round(audit("first-contentful-paint")),
    failed_audits: Object.values(lhr.audits)
      .filter((a) => a.score !== null && a.score < 0.9)
      .map((a) => a.id),
    network_requests: lhr.audits["network-requests"]?.details?.items ?? [],
  };
}
const lhHome = lighthouse("home");
const lhProduct = lighthouse("product");

// ---------------------------------------------------------------------------------------
// Weight of what the home page loads, brotli-compressed.
// URLs come from the HTML (link/script tags and the inline hydration loader, which names
// the js and wasm) and, for what is fetched later (split chunks), from the requests
// Lighthouse saw while loading the page. Only our own origin counts.
// ---------------------------------------------------------------------------------------
const homeHtml = readFileSync(join(args["static-dir"], "home.html"));

export function assetUrlsFromHtml(html) {
  const urls = new Set();
  for (const tag of html.match(/<(link|script)\b[^>]*>/gi) ?? []) {
    const attr = /\b(?:href|src)\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (!attr) continue;
    if (/^<link/i.test(tag) && !/\brel\s*=\s*["']?[^"'>]*(stylesheet|modulepreload|preload)/i.test(tag)) continue;
    urls.add(attr[1]);
  }
  // The hydration loader: import('/pkg/x.js') ... module_or_path: '/pkg/x.wasm'
  for (const m of html.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) urls.add(m[1]);
  for (const m of html.matchAll(/["']([^"'\s]+\.(?:js|mjs|wasm|css))["']/g)) urls.add(m[1]);
  return [...urls];
}

function kind(url) {
  const p = new URL(url).pathname;
  if (/\.(m?js)$/.test(p)) return "js";
  if (/\.wasm$/.test(p)) return "wasm";
  if (/\.css$/.test(p)) return "css";
  return "other";
}

const origin = new URL(APP).origin;
const assetUrls = new Set();
for (const u of assetUrlsFromHtml(homeHtml.toString("utf8"))) {
  const abs = new URL(u, APP + "/");
  if (abs.origin === origin) assetUrls.add(abs.href);
}
for (const r of lhHome?.network_requests ?? []) {
  if (!r.url) continue;
  const abs = new URL(r.url);
  if (abs.origin !== origin || abs.pathname === "/" || r.resourceType === "Document") continue;
  // Only code and styles (favicon, images and fonts are not what we weigh here).
  if (kind(abs.href) !== "other") assetUrls.add(abs.href);
}

const brotliBytes = (buf) => execFileSync("brotli", ["-c"], { input: buf, maxBuffer: 1 << 30 }).length;
function curlGet(url) {
  return execFileSync("curl", ["-fsS", "--max-time", "30", url], { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"] });
}
/** What our server actually sends when the browser accepts br. */
function served(url) {
  const out = execFileSync(
    "curl",
    ["-sS", "--max-time", "30", "-o", "/dev/null", "-H", "Accept-Encoding: br, gzip", "-w", "%{size_download} %header{content-encoding}", url],
    { encoding: "utf8" },
  ).trim();
  const [bytes, encoding] = out.split(" ");
  return { bytes: Number(bytes), encoding: encoding || "identity" };
}

const files = [
  {
    url: APP + "/",
    kind: "html",
    raw_bytes: homeHtml.length,
    brotli_bytes: brotliBytes(homeHtml),
    served: served(APP + "/"),
  },
];
for (const url of [...assetUrls].sort()) {
  let body;
  try {
    body = curlGet(url);
  } catch {
    files.push({ url, kind: kind(url), error: "fetch failed" });
    continue;
  }
  files.push({ url, kind: kind(url), raw_bytes: body.length, brotli_bytes: brotliBytes(body), served: served(url) });
}
const weight = { html: 0, js: 0, wasm: 0, css: 0, other: 0 };
const rawWeight = { html: 0, js: 0, wasm: 0, css: 0, other: 0 };
for (const f of files) {
  if (f.brotli_bytes == null) continue;
  weight[f.kind] += f.brotli_bytes;
  rawWeight[f.kind] += f.raw_bytes;
}
const weightTotal = weight.html + weight.js + weight.wasm + weight.css;

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------
const stripRequests = (lh) => (lh ? { ...lh, network_requests: undefined } : null);
const results = {
  generated_at: new Date().toISOString(),
  machine: { cores: (await import("node:os")).cpus().length, note: "client and servers share the cores: compare ratios, not absolutes" },
  wrk: args.wrk,
  nginx: { version: args["nginx-version"], worker_processes: 2, access_log: "off" },
  throughput,
  search_uncached: searchUncached,
  lighthouse: [stripRequests(lhHome), stripRequests(lhProduct)].filter(Boolean),
  home_page_weight: {
    brotli_bytes: { ...weight, total_html_js_wasm_css: weightTotal },
    raw_bytes: rawWeight,
    files,
  },
};
writeFileSync(join(OUT, "results.json"), JSON.stringify(results, null, 2) + "\n");

const pad = (v, n) => String(v ?? "-").padStart(n);
const padEnd = (v, n) => String(v ?? "-").padEnd(n);
const f1 = (v) => (v == null ? "-" : v.toFixed(1));
const f2 = (v) => (v == null ? "-" : v.toFixed(2));

console.log("\nThroughput (wrk " + args.wrk + "; same HTML as static files on nginx for scale)");
console.log(
  padEnd("page", 10) + pad("app req/s", 11) + pad("nginx req/s", 13) + pad("ratio", 8) +
    pad("app p99 ms", 12) + pad("nginx p99", 11) + pad("non2xx", 8) + "  path",
);
for (const t of throughput) {
  console.log(
    padEnd(t.page, 10) + pad(f1(t.app.requests_per_sec), 11) + pad(f1(t.nginx.requests_per_sec), 13) +
      pad(t.rps_ratio_app_over_nginx == null ? "-" : t.rps_ratio_app_over_nginx.toFixed(3), 8) + pad(f2(t.app.latency_p99_ms), 12) + pad(f2(t.nginx.latency_p99_ms), 11) +
      pad(t.app.non_2xx_3xx + t.nginx.non_2xx_3xx, 8) + "  " + t.path,
  );
}

if (searchUncached) {
  console.log(
    padEnd("search, uncached varied queries", 32) + pad(f1(searchUncached.requests_per_sec), 10) + " req/s   p99 " +
      f2(searchUncached.latency_p99_ms) + " ms   non2xx " + searchUncached.non_2xx_3xx,
  );
}

console.log("\nLighthouse " + (lhHome?.lighthouse_version ?? "") + " (mobile preset)");
console.log(padEnd("page", 10) + pad("perf", 6) + pad("a11y", 6) + pad("bp", 6) + pad("seo", 6) + pad("LCP ms", 9) + pad("TBT ms", 9) + pad("CLS", 8));
for (const lh of results.lighthouse) {
  console.log(
    padEnd(lh.page, 10) + pad(lh.performance, 6) + pad(lh.accessibility, 6) + pad(lh.best_practices, 6) + pad(lh.seo, 6) +
      pad(lh.lcp_ms, 9) + pad(lh.tbt_ms, 9) + pad(lh.cls, 8) + (lh.runtime_error ? "  ERROR: " + lh.runtime_error : ""),
  );
}

console.log("\nHome page weight, brotli -c (quality 11) bytes");
console.log(pad("html", 8) + pad("js", 9) + pad("wasm", 9) + pad("css", 8) + pad("total", 9));
console.log(pad(weight.html, 8) + pad(weight.js, 9) + pad(weight.wasm, 9) + pad(weight.css, 8) + pad(weightTotal, 9));
for (const f of files) {
  console.log(
    "  " + padEnd(f.kind, 6) + pad(f.brotli_bytes ?? "ERR", 9) + " br  " + pad(f.raw_bytes, 9) + " raw  served " +
      (f.served ? `${f.served.bytes} ${f.served.encoding}` : "-") + "  " + new URL(f.url).pathname,
  );
}
console.log(`\nAll figures: ${join(OUT, "results.json")}`);

// A benchmark of error pages measures nothing: fail loudly.
const bad = throughput.filter((t) => t.app.non_2xx_3xx > 0 || t.nginx.non_2xx_3xx > 0 || t.app.requests_per_sec == null);
if (bad.length) {
  console.error(`\n[bench] non-2xx/3xx responses or no result for: ${bad.map((t) => t.page).join(", ")}`);
  process.exit(1);
}
