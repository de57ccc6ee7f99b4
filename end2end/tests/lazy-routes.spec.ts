import { test, expect, type Page } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillDelivery, hydrated, open, payByCardAndWait } from './support';

// Route-level code splitting (app/src/routes.rs): the storefront's pages are in the first
// wasm chunk, every other area in its own. The home page must not download the checkout's
// code; navigating to checkout does, and checkout still works. A chunk that cannot be
// fetched (offline, or a deploy in between) shows a message with a retry, not a dead page.

/** The split build's manifest: each lazy chunk's name -> the files it needs. */
function splitManifest(): Record<string, string[]> {
  const pkg = join(process.env.LEPTOS_SITE_ROOT ?? join(__dirname, '..', '..', 'target', 'site'), 'pkg');
  const file = readdirSync(pkg).find((f) => /^__wasm_split_manifest.*\.json$/.test(f));
  if (!file) throw new Error(`no split manifest in ${pkg}: was the build made with --split?`);
  return JSON.parse(readFileSync(join(pkg, file), 'utf8'));
}

const fileName = (url: string) => new URL(url).pathname.split('/').pop() ?? '';
// The manifest names files without their extension.
const wasmFiles = (names: string[] = []) => names.map((n) => (n.endsWith('.wasm') ? n : `${n}.wasm`));

/** Every .wasm file the page requests from now on. */
function wasmRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.wasm')) seen.push(fileName(r.url()));
  });
  return seen;
}

async function bestSeller(page: Page): Promise<string> {
  const href = await page.locator('#best-sellers a.product-link').first().getAttribute('href');
  expect(href).toMatch(/^\/p\//);
  return href!;
}

test('the home page does not fetch the checkout chunk; going to checkout does, and it works', async ({ page }) => {
  const manifest = splitManifest();
  const checkoutFiles = wasmFiles(manifest['checkout']);
  expect(checkoutFiles.length, `a checkout chunk in ${JSON.stringify(manifest)}`).toBeGreaterThan(0);
  const everySplitFile = new Set(Object.values(manifest).flatMap((names) => wasmFiles(names)));

  const requested = wasmRequests(page);
  await open(page, '/');
  const product = await bestSeller(page);
  // Only the first chunk: no lazy route's code at all.
  expect(requested.filter((f) => everySplitFile.has(f))).toEqual([]);
  expect(requested.length).toBe(1);

  // The product page is in the first chunk too.
  await open(page, product);
  await page.locator('form.add-to-cart button[type="submit"]').click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
  expect(requested.filter((f) => everySplitFile.has(f))).toEqual([]);

  // From the mini-cart to checkout without a page load: the router fetches the chunk.
  await page.getByTestId('mini-cart-toggle').click();
  await page.getByTestId('mini-cart').getByRole('link', { name: /checkout/i }).click();
  await expect(page).toHaveURL(/\/checkout$/);
  await expect(page.getByTestId('checkout-form')).toBeVisible({ timeout: 15_000 });
  for (const f of checkoutFiles) expect(requested, `fetched ${f}`).toContain(f);

  const email = `lazy${Date.now()}@example.com`;
  await fillDelivery(page, { email, name: 'Lena Lazy', line1: '3 Chunk Row', city: 'York', postcode: 'YO1 7HH' });
  await payByCardAndWait(page);
  await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'paid');
});

test.describe(() => {
// Playwright's routes do not see requests that the service worker answers: without it, the
// failing requests below reach the page as a broken network would.
test.use({ serviceWorkers: 'block' });

test('a chunk that cannot be fetched shows a message with a retry, and the retry works', async ({ page }) => {
  const manifest = splitManifest();
  const privacyFiles = new Set(wasmFiles(manifest['privacy']));
  expect(privacyFiles.size).toBeGreaterThan(0);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await open(page, '/');
  // As if the visitor went offline, or a deploy replaced the files: the chunk's requests fail.
  await page.route('**/*.wasm', (route) =>
    privacyFiles.has(fileName(route.request().url())) ? route.abort('internetdisconnected') : route.continue(),
  );
  // The footer's link to the privacy notice, followed by the router (no page load).
  await page.locator('footer a[href="/privacy"]').first().click();
  await expect(page).toHaveURL(/\/privacy$/);
  const failed = page.locator('[data-chunk-failed]');
  await expect(failed).toBeVisible({ timeout: 15_000 });
  await expect(failed.getByRole('heading')).toHaveText('This page could not be loaded');
  // The split loader lets the failed fetch's rejection through (reported as "Failed to
  // fetch"); anything else, such as a wasm panic ("unreachable"), is a defect.
  expect(errors.filter((e) => e !== 'Failed to fetch'), 'no panic').toEqual([]);

  // The rest of the app still works: the router takes the visitor home.
  await page.locator('header a[href="/"]').first().click();
  await expect(page.locator('#best-sellers')).toBeVisible();

  // Back online: "Try again" on the failed page loads it.
  await page.locator('footer a[href="/privacy"]').first().click();
  await expect(failed).toBeVisible({ timeout: 15_000 });
  await page.unroute('**/*.wasm');
  const loaded = page.waitForEvent('load');
  await failed.getByRole('button', { name: 'Try again' }).click();
  await loaded;
  await hydrated(page);
  await expect(failed).toHaveCount(0);
  await expect(page.locator('main h1')).toBeVisible();
});
});
