import { test, expect, chromium, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hydrated } from './support';

// The installable, offline-capable shop: a valid manifest with icons, a service worker that
// Chrome accepts, visited pages that open offline, and an offline page for the rest.

test('the manifest is served, valid and has the icons', async ({ page, request }) => {
  const response = await request.get('/manifest.webmanifest');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toMatch(/manifest\+json|application\/json/);
  const manifest = await response.json();
  expect(manifest.name).toBe('Emporium');
  expect(manifest.short_name).toBeTruthy();
  expect(manifest.start_url).toBe('/');
  expect(manifest.scope).toBe('/');
  expect(manifest.display).toBe('standalone');
  expect(manifest.theme_color).toBe('#8a3b12');
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);

  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  const has = (sizes: string, purpose: string) =>
    icons.some((i) => i.sizes === sizes && (i.purpose ?? 'any').split(' ').includes(purpose));
  expect(has('192x192', 'any')).toBe(true);
  expect(has('512x512', 'any')).toBe(true);
  expect(has('512x512', 'maskable')).toBe(true);
  for (const icon of icons) {
    const r = await request.get(icon.src);
    expect(r.status(), icon.src).toBe(200);
    expect(r.headers()['content-type'], icon.src).toContain(icon.type);
  }

  // Pages point at it, and at the icons.
  await page.goto('/');
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('meta[name="theme-color"]')).toHaveAttribute('content', '#8a3b12');

  const sw = await request.get('/sw.js');
  expect(sw.status()).toBe(200);
  expect(sw.headers()['content-type']).toMatch(/javascript/);
  const offline = await request.get('/offline.html');
  expect(offline.status()).toBe(200);
  expect(await offline.text()).toContain('你已离线');
});

test('installable, and visited pages open offline', async ({}, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'one persistent Chromium profile is enough; the viewport does not matter');
  test.setTimeout(90_000);
  const baseURL = testInfo.project.use.baseURL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000';
  const launch = testInfo.project.use.launchOptions ?? {};
  // Installability is not reported for incognito profiles, which is what newContext() gives.
  const profile = await mkdtemp(path.join(tmpdir(), 'emporium-pwa-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: launch.executablePath ?? process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: launch.args ?? [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    headless: true,
    baseURL,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await hydrated(page);

    // The worker installs, activates and takes control of this page (clients.claim()).
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), { timeout: 15_000 })
      .toBe('activated');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
    expect(context.serviceWorkers().map((w) => new URL(w.url()).pathname)).toContain('/sw.js');

    const cdp = await context.newCDPSession(page);
    await expect
      .poll(
        async () => {
          const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
          return installabilityErrors.map((e) => e.errorId);
        },
        { timeout: 15_000 },
      )
      .toEqual([]);

    // Visit a product page online: the worker keeps a copy.
    const links = page.locator('#best-sellers a.product-link');
    const visited = (await links.nth(0).getAttribute('href'))!;
    const unvisited = (await links.nth(1).getAttribute('href'))!;
    expect(unvisited).not.toBe(visited);
    await page.goto(visited);
    await hydrated(page);
    const title = (await page.locator('main h1').textContent())?.trim();
    expect(title).toBeTruthy();
    await expect
      .poll(() => page.evaluate(async (url) => !!(await caches.match(url)), new URL(visited, baseURL).href))
      .toBe(true);

    await context.setOffline(true);
    // The visited page comes from the cache, with its styles and scripts.
    await page.goto(visited);
    await expect(page.locator('main h1')).toHaveText(title!);
    await hydrated(page);
    // A page never visited gets the offline page, in both languages.
    await page.goto(unvisited);
    await expect(page.locator('h1')).toHaveText('You are offline');
    await expect(page.getByText('你已离线')).toBeVisible();

    // Back online, pages come from the network again.
    await context.setOffline(false);
    await page.goto(unvisited);
    await expect(page.locator('main h1')).not.toHaveText('You are offline');
    await hydrated(page);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
