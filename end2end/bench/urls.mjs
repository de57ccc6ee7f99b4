// Builds the benchmark's URL lists from the running shop, and saves every listed page for
// the nginx yardstick. Nothing is invented: categories come from the home page's links,
// sorts from the category page's <select name="sort">, page counts from its pager, product
// codes from the category listings, search terms from the product titles they show.
//
// usage: node urls.mjs --app URL --out DIR [--products 600] [--terms 200] [--pages 3]
//
// Writes into DIR:
//   urls/{home,product,category,search,mix,hot}.tsv   "<app path>\t<nginx path>" a line;
//       the order is the popularity rank used by Zipf draws (first = most popular)
//   static/f/<set>/<n>.html and .html.gz                the saved pages (gzip -9, for
//       nginx's gzip_static)
//   urls.json                                          what was found, and the checks
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, constants as zlib } from "node:zlib";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    app: { type: "string" },
    out: { type: "string" },
    products: { type: "string", default: "600" },
    terms: { type: "string", default: "200" },
    pages: { type: "string", default: "3" },
    hot: { type: "string", default: "50" },
  },
});
if (!args.app || !args.out) throw new Error("--app and --out are required");
const APP = args.app.replace(/\/$/, "");
const OUT = args.out;
const WANT_PRODUCTS = Number(args.products);
const WANT_TERMS = Number(args.terms);
const CATEGORY_PAGES = Number(args.pages);
const HOT = Number(args.hot);

function fail(msg) {
  console.error(`[urls] ${msg}`);
  process.exit(1);
}

/** GET a page of ours; it must answer 200 with HTML. */
async function get(path, headers = {}) {
  const res = await fetch(APP + path, { redirect: "manual", headers: { "accept-encoding": "br, gzip", ...headers } });
  const body = await res.text();
  return { status: res.status, headers: res.headers, body };
}
async function page(path) {
  const r = await get(path);
  if (r.status !== 200) fail(`GET ${path} answered ${r.status}`);
  if (!(r.headers.get("content-type") ?? "").startsWith("text/html")) fail(`GET ${path} is not HTML`);
  return r.body;
}

const decode = (s) =>
  s
    .replace(/<[^>]*>/g, "")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .trim();

/** Product codes and titles of a listing, in page order. */
function listing(html) {
  const out = [];
  for (const m of html.matchAll(/<a href="\/p\/([^"#?]+)" class="product-link">[\s\S]*?<span class="product-title">([\s\S]*?)<\/span>/g)) {
    out.push({ code: m[1], title: decode(m[2]) });
  }
  return out;
}

/** The highest page number linked from a category page's pager (1 when none). */
function pageCount(html, slug) {
  let max = 1;
  const re = new RegExp(`href="/c/${slug}\\?[^"]*?page=(\\d+)`, "g");
  for (const m of html.replace(/&amp;/g, "&").matchAll(re)) max = Math.max(max, Number(m[1]));
  return max;
}

function sortOptions(html) {
  const select = /<select name="sort">([\s\S]*?)<\/select>/.exec(html);
  if (!select) return [];
  return [...select[1].matchAll(/<option value="([^"]+)"(\s+selected)?/g)].map((m) => ({ value: m[1], selected: !!m[2] }));
}

/** Run fn over items with a few requests in flight. */
async function pool(items, n, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

// ---------------------------------------------------------------------------------------
// Crawl
// ---------------------------------------------------------------------------------------
const home = await page("/");
const slugs = [...new Set([...home.matchAll(/href="\/c\/([a-z0-9-]+)"/g)].map((m) => m[1]))];
if (slugs.length === 0) fail("no /c/<slug> links on the home page");

const categories = [];
for (const slug of slugs) {
  const html = await page(`/c/${slug}`);
  const sorts = sortOptions(html);
  if (sorts.length === 0) fail(`/c/${slug} has no <select name="sort"> options`);
  categories.push({ slug, pages: pageCount(html, slug), sorts, first: listing(html) });
}
const defaultSort = categories[0].sorts.find((s) => s.selected)?.value ?? categories[0].sorts[0].value;

// Products: page 1 of every category, then page 2 of every category, ... (round-robin), so
// that the rank order mixes categories and follows each listing's default order.
const products = [];
const seen = new Set();
const titles = [];
const addAll = (cards) => {
  for (const c of cards) {
    titles.push(c.title);
    if (!seen.has(c.code)) {
      seen.add(c.code);
      products.push(c);
    }
  }
};
for (const c of categories) addAll(c.first);
for (let p = 2; products.length < WANT_PRODUCTS; p++) {
  const todo = categories.filter((c) => c.pages >= p);
  if (todo.length === 0) break;
  const pages = await pool(todo, 4, (c) => page(`/c/${c.slug}?page=${p}`));
  pages.forEach((html) => addAll(listing(html)));
}
const productList = products.slice(0, WANT_PRODUCTS);
if (productList.length === 0) fail("no products found on the category pages");

// Category URLs: every sort the page offers, pages 1..N of each (defaults left out, as the
// page's own links do). Rank: page 1 before page 2, default sort first.
const categoryPaths = [];
const sortsInOrder = [...categories[0].sorts.map((s) => s.value)].sort((a, b) => (a === defaultSort ? -1 : b === defaultSort ? 1 : 0));
for (let p = 1; p <= CATEGORY_PAGES; p++) {
  for (const sort of sortsInOrder) {
    for (const c of categories) {
      if (p > c.pages || !c.sorts.some((s) => s.value === sort)) continue;
      const params = [];
      if (sort !== defaultSort) params.push(`sort=${sort}`);
      if (p > 1) params.push(`page=${p}`);
      categoryPaths.push(`/c/${c.slug}${params.length ? "?" + params.join("&") : ""}`);
    }
  }
}

// Search terms: words of the titles seen, most frequent first (a rough popularity order).
const STOP = new Set(["and", "the", "with", "for", "set", "of", "in", "on", "to", "a", "an", "de", "la"]);
const freq = new Map();
for (const t of titles) {
  for (const w of t.toLowerCase().split(/[^a-z]+/)) {
    if (w.length < 3 || STOP.has(w)) continue;
    freq.set(w, (freq.get(w) ?? 0) + 1);
  }
}
const terms = [...freq.entries()]
  .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, WANT_TERMS)
  .map(([w]) => w);
if (terms.length === 0) fail("no title words for the search terms");

// ---------------------------------------------------------------------------------------
// Save every page for nginx (raw and gzip -9), and write the lists.
// ---------------------------------------------------------------------------------------
const sets = {
  home: ["/"],
  product: productList.map((p) => `/p/${p.code}`),
  category: categoryPaths,
  search: terms.map((w) => `/search?q=${encodeURIComponent(w)}`),
};
const staticDir = join(OUT, "static");
const urlDir = join(OUT, "urls");
mkdirSync(urlDir, { recursive: true });
const rows = {};
const bytes = {};
for (const [set, paths] of Object.entries(sets)) {
  mkdirSync(join(staticDir, "f", set), { recursive: true });
  let total = 0;
  rows[set] = await pool(paths, 4, async (path, i) => {
    const html = await page(path);
    const file = `/f/${set}/${i + 1}.html`;
    const buf = Buffer.from(html, "utf8");
    writeFileSync(join(staticDir, file), buf);
    writeFileSync(join(staticDir, file + ".gz"), gzipSync(buf, { level: zlib.Z_BEST_COMPRESSION }));
    total += buf.length;
    return [path, file];
  });
  bytes[set] = Math.round(total / paths.length);
}

// The realistic mix: one popularity rank over all pages, home first, then the sets
// interleaved (per 5 ranks: 3 product pages, 1 category page, 1 search), so a Zipf draw
// gives most traffic to home and the top pages of each kind and a long tail to the rest.
const mix = [rows.home[0]];
const queues = { product: [...rows.product], category: [...rows.category], search: [...rows.search] };
const pattern = ["product", "category", "product", "search", "product"];
while (queues.product.length || queues.category.length || queues.search.length) {
  for (const k of pattern) if (queues[k].length) mix.push(queues[k].shift());
}
const lists = { ...rows, mix, hot: rows.product.slice(0, HOT) };
for (const [name, list] of Object.entries(lists)) {
  writeFileSync(join(urlDir, `${name}.tsv`), list.map(([a, n]) => `${a}\t${n}`).join("\n") + "\n");
}

// ---------------------------------------------------------------------------------------
// Checks: the ignored parameter is ignored (200, a miss, same page), repeats are hits.
// ---------------------------------------------------------------------------------------
const checks = {};
for (const set of ["home", "product", "category", "search"]) {
  const [path] = rows[set][0];
  const sep = path.includes("?") ? "&" : "?";
  const probe = await get(`${path}${sep}_b=probe-${Date.now()}`);
  if (probe.status !== 200) fail(`${path}${sep}_b=... answered ${probe.status}: the ignored parameter is not ignored`);
  const a = await get(path);
  const b = await get(path);
  checks[set] = {
    path,
    ignored_param_status: probe.status,
    ignored_param_x_cache: probe.headers.get("x-cache"),
    repeat_x_cache: [a.headers.get("x-cache"), b.headers.get("x-cache")],
    content_encoding: b.headers.get("content-encoding"),
  };
  if (probe.headers.get("x-cache") !== "miss") fail(`${path} with _b= did not answer x-cache: miss (${probe.headers.get("x-cache")})`);
}

const summary = {
  categories: categories.map((c) => ({ slug: c.slug, pages: c.pages })),
  sorts: categories[0].sorts.map((s) => s.value),
  default_sort: defaultSort,
  category_pages_per_sort: CATEGORY_PAGES,
  counts: Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, v.length])),
  products_wanted: WANT_PRODUCTS,
  terms_wanted: WANT_TERMS,
  avg_html_bytes: bytes,
  terms_sample: terms.slice(0, 20),
  checks,
};
writeFileSync(join(OUT, "urls.json"), JSON.stringify(summary, null, 2) + "\n");
console.log(
  `[urls] ${lists.product.length} product pages (of ${WANT_PRODUCTS} wanted), ${lists.category.length} category URLs ` +
    `(${categories.length} categories × ${summary.sorts.length} sorts × up to ${CATEGORY_PAGES} pages), ` +
    `${lists.search.length} search terms, mix of ${lists.mix.length}`,
);
