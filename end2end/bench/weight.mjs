// Weight of the front end, in brotli bytes (brotli -c -q 11, the precompression our server
// serves under /pkg/), from the running server and the build in the site directory:
//
//   - home: every HTML, JS, WASM and CSS file the home page loads (from its HTML, what its
//     JS imports statically and, for what is fetched later, the requests Lighthouse saw),
//     with what the server actually sent for each (bytes, Content-Encoding for br, gzip);
//   - before_interactive: the wasm + JS the home page needs before it can hydrate: the main
//     .js (its modulepreload link), everything that .js imports statically (the
//     __wasm_split loader, wasm-bindgen snippets), the main .wasm, and any route chunk the
//     home HTML preloads;
//   - route_chunks: for each lazy chunk of `cargo leptos build --split` (the
//     __wasm_split_manifest maps its name to the .wasm files it needs), its own file
//     (split_<name>) and the shared chunks (chunk_<n>) it pulls in.
//
// usage: node weight.mjs --app URL --home-html FILE --site-dir DIR --out FILE
//                        [--hash-file FILE] [--lighthouse FILE]
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    app: { type: "string" },
    "home-html": { type: "string" },
    "site-dir": { type: "string" },
    "hash-file": { type: "string" },
    lighthouse: { type: "string" },
    out: { type: "string" },
  },
});
for (const k of ["app", "home-html", "site-dir", "out"]) {
  if (!args[k]) throw new Error(`--${k} is required`);
}
const APP = args.app.replace(/\/$/, "");
const origin = new URL(APP).origin;
const PKG = join(args["site-dir"], "pkg");

function fail(msg) {
  console.error(`[weight] ${msg}`);
  process.exit(1);
}

function run(cmd, argv, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, argv, { encoding: "buffer", maxBuffer: 1 << 30 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${cmd} ${argv.join(" ")}: ${err.message} ${stderr}`)) : resolve(stdout),
    );
    if (input) child.stdin.end(input);
  });
}
const brotliBytes = async (buf) => (await run("brotli", ["-c", "-q", "11"], buf)).length;

/** The body as stored (no Accept-Encoding: nothing is compressed on the way). */
async function raw(url) {
  const res = await fetch(url, { headers: { "accept-encoding": "identity" } });
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
/** What our server sends when the browser accepts br: bytes on the wire and the encoding. */
async function served(url) {
  const out = (
    await run("curl", ["-sS", "--max-time", "30", "-o", "/dev/null", "-H", "Accept-Encoding: br, gzip", "-w", "%{http_code} %{size_download} %header{content-encoding}", url])
  )
    .toString()
    .trim();
  const [status, bytes, encoding] = out.split(" ");
  return { status: Number(status), bytes: Number(bytes), encoding: encoding || "identity" };
}

function kind(url) {
  const p = new URL(url).pathname;
  if (/\.(m?js)$/.test(p)) return "js";
  if (/\.wasm$/.test(p)) return "wasm";
  if (/\.css$/.test(p)) return "css";
  return "other";
}

/** Stylesheets, (module)preloads, scripts, and what the inline hydration loader names. */
function assetUrlsFromHtml(html) {
  const urls = new Set();
  for (const tag of html.match(/<(link|script)\b[^>]*>/gi) ?? []) {
    const attr = /\b(?:href|src)\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (!attr) continue;
    if (/^<link/i.test(tag) && !/\brel\s*=\s*["']?[^"'>]*(stylesheet|modulepreload|preload)/i.test(tag)) continue;
    urls.add(attr[1]);
  }
  for (const m of html.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) urls.add(m[1]);
  for (const m of html.matchAll(/["']([^"'\s]+\.(?:js|mjs|wasm|css))["']/g)) urls.add(m[1]);
  return [...urls];
}

/** <link rel=...> tags of the HTML as {rel, href}. */
function links(html) {
  return (html.match(/<link\b[^>]*>/gi) ?? []).map((tag) => ({
    rel: (/\brel\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? "").toLowerCase(),
    href: /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1] ?? "",
  }));
}

/** Static imports of an ES module (not import(): that is fetched later, on demand). */
function staticImports(js) {
  const out = new Set();
  for (const m of js.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)) out.add(m[1]);
  for (const m of js.matchAll(/(?:^|[;\n}])\s*export\s*(?:\*|\{[^}]*\})\s*from\s*["']([^"']+)["']/g)) out.add(m[1]);
  return [...out];
}

const homeHtml = readFileSync(args["home-html"]);
const homeText = homeHtml.toString("utf8");

// ---------------------------------------------------------------------------------------
// Home page: everything it loads.
// ---------------------------------------------------------------------------------------
const assetUrls = new Set();
for (const u of assetUrlsFromHtml(homeText)) {
  const abs = new URL(u, APP + "/");
  if (abs.origin === origin) assetUrls.add(abs.href);
}
if (args.lighthouse && existsSync(args.lighthouse)) {
  const lhr = JSON.parse(readFileSync(args.lighthouse, "utf8"));
  for (const r of lhr.audits?.["network-requests"]?.details?.items ?? []) {
    if (!r.url) continue;
    const abs = new URL(r.url);
    if (abs.origin !== origin || abs.pathname === "/" || r.resourceType === "Document") continue;
    if (kind(abs.href) !== "other") assetUrls.add(abs.origin + abs.pathname);
  }
}

const bodies = new Map();
async function body(url) {
  if (!bodies.has(url)) bodies.set(url, raw(url));
  return bodies.get(url);
}
const brCache = new Map();
async function br(url) {
  if (!brCache.has(url)) brCache.set(url, body(url).then(brotliBytes));
  return brCache.get(url);
}

// ---------------------------------------------------------------------------------------
// Before interactive: main js + its static imports + main wasm + preloaded chunks.
// ---------------------------------------------------------------------------------------
const homeLinks = links(homeText).filter((l) => l.href && new URL(l.href, APP + "/").origin === origin);
const mainJs = homeLinks.find((l) => l.rel === "modulepreload" && /\/pkg\/[^/]*\.js$/.test(l.href) && !/__wasm_split/.test(l.href));
const mainWasm = homeLinks.find((l) => l.rel === "preload" && /\.wasm$/.test(l.href) && !/\/(split_|chunk_)[^/]*$/.test(l.href));
if (!mainJs || !mainWasm) fail("the home HTML has no modulepreload of the main .js or preload of the main .wasm");

const critical = new Map(); // url -> why
const addCritical = (url, why) => {
  if (!critical.has(url)) critical.set(url, why);
};
const jsQueue = [new URL(mainJs.href, APP + "/").href];
addCritical(jsQueue[0], "main js");
addCritical(new URL(mainWasm.href, APP + "/").href, "main wasm");
while (jsQueue.length) {
  const url = jsQueue.shift();
  const text = (await body(url)).toString("utf8");
  for (const spec of staticImports(text)) {
    if (!/^\.{0,2}\//.test(spec)) continue; // bare specifiers: none expected in the browser
    const dep = new URL(spec, url).href;
    if (!critical.has(dep)) {
      addCritical(dep, `imported by ${new URL(url).pathname.split("/").pop()}`);
      jsQueue.push(dep);
    }
  }
}
for (const l of homeLinks) {
  const url = new URL(l.href, APP + "/").href;
  if ((l.rel === "preload" || l.rel === "modulepreload") && /\/pkg\/.*\.(wasm|m?js)$/.test(url)) addCritical(url, `${l.rel} on the home page`);
}
const beforeInteractive = [];
for (const [url, why] of critical) {
  beforeInteractive.push({ path: new URL(url).pathname, why, raw_bytes: (await body(url)).length, brotli_bytes: await br(url) });
}
const beforeInteractiveTotal = beforeInteractive.reduce((a, f) => a + f.brotli_bytes, 0);

// What hydration imports (the __wasm_split loader) is loaded too, named in the HTML or not.
for (const url of critical.keys()) assetUrls.add(url);
const homeFiles = [
  { url: APP + "/", kind: "html", raw_bytes: homeHtml.length, brotli_bytes: await brotliBytes(homeHtml), served: await served(APP + "/") },
];
for (const url of [...assetUrls].sort()) {
  try {
    const b = await body(url);
    homeFiles.push({ url, kind: kind(url), raw_bytes: b.length, brotli_bytes: await br(url), served: await served(url) });
  } catch (e) {
    fail(`home page asset ${url}: ${e.message}`);
  }
}
const sum = (files, key) => {
  const w = { html: 0, js: 0, wasm: 0, css: 0, other: 0 };
  for (const f of files) w[f.kind] += f[key];
  return w;
};
const homeBrotli = sum(homeFiles, "brotli_bytes");
const homeRaw = sum(homeFiles, "raw_bytes");

// ---------------------------------------------------------------------------------------
// Route chunks from the split manifest.
// ---------------------------------------------------------------------------------------
function manifestFile() {
  if (args["hash-file"] && existsSync(args["hash-file"])) {
    const m = /^manifest:\s*(\S+)/m.exec(readFileSync(args["hash-file"], "utf8"));
    if (m && existsSync(join(PKG, `__wasm_split_manifest.${m[1]}.json`))) return join(PKG, `__wasm_split_manifest.${m[1]}.json`);
  }
  if (!existsSync(PKG)) return null;
  const all = readdirSync(PKG)
    .filter((f) => /^__wasm_split_manifest.*\.json$/.test(f))
    .map((f) => join(PKG, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return all[0] ?? null;
}
const manifestPath = manifestFile();
if (!manifestPath) fail(`no __wasm_split_manifest*.json in ${PKG}: was the site built with --split?`);
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
const fileBr = new Map();
async function pkgFile(stem) {
  const file = `${stem}.wasm`;
  if (!fileBr.has(file)) {
    const path = join(PKG, file);
    if (!existsSync(path)) fail(`${file}, named by ${manifestPath}, is not in ${PKG}`);
    const buf = readFileSync(path);
    fileBr.set(file, brotliBytes(buf).then((b) => ({ file, raw_bytes: buf.length, brotli_bytes: b })));
  }
  return fileBr.get(file);
}
const usedBy = new Map();
for (const [name, stems] of Object.entries(manifest)) for (const s of stems) usedBy.set(s, [...(usedBy.get(s) ?? []), name]);
const routeChunks = [];
for (const [name, stems] of Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : 1))) {
  const files = [];
  for (const stem of stems) {
    const f = await pkgFile(stem);
    const own = /^split_/.test(stem.split("/").pop());
    files.push({ ...f, role: own ? "own" : "shared", used_by: usedBy.get(stem), preloaded_by_home: critical.has(new URL(`/pkg/${f.file}`, APP).href) });
  }
  const own = files.filter((f) => f.role === "own").reduce((a, f) => a + f.brotli_bytes, 0);
  const shared = files.filter((f) => f.role === "shared").reduce((a, f) => a + f.brotli_bytes, 0);
  routeChunks.push({ name, files, own_brotli_bytes: own, shared_brotli_bytes: shared, total_brotli_bytes: own + shared });
}
if (routeChunks.length === 0) fail(`${manifestPath} names no chunks`);

const result = {
  compression: "brotli -c -q 11",
  home: {
    brotli_bytes: { ...homeBrotli, total_html_js_wasm_css: homeBrotli.html + homeBrotli.js + homeBrotli.wasm + homeBrotli.css },
    raw_bytes: homeRaw,
    files: homeFiles,
  },
  before_interactive: { brotli_bytes: beforeInteractiveTotal, files: beforeInteractive },
  route_chunks: { manifest: manifestPath, chunks: routeChunks },
};
writeFileSync(args.out, JSON.stringify(result, null, 2) + "\n");
console.log(`[weight] home wasm+JS before interactive ${beforeInteractiveTotal} B brotli; ${routeChunks.length} route chunks`);
