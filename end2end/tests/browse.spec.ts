import { test, expect, type Page } from '@playwright/test';
import { open, firstNumber } from './support';

// Browsing: home → category (server-rendered first page, more on scroll, real pager links)
// → product page, and the statuses of pages that do not exist or cannot be read.

const firstPageCards = 'main ul.product-grid:not(.more-products) > li.product-card';
const appendedCards = 'main ul.more-products > li.product-card';

test('home lists categories and product feeds', async ({ page }) => {
  await open(page, '/');
  await expect(page.locator('#categories ul.category-list a[href^="/c/"]').first()).toBeVisible();
  for (const feed of ['#best-sellers', '#new-arrivals', '#recommended']) {
    const cards = page.locator(`${feed} ul.product-grid > li.product-card`);
    await expect(cards.first()).toBeVisible();
    const first = cards.first();
    await expect(first.locator('a.product-link')).toHaveAttribute('href', /^\/p\/[^/]+$/);
    await expect(first.locator('a.product-link img')).toHaveAttribute('src', /^\/img\/p\/.+\.svg$/);
    await expect(first.locator('span.product-title')).not.toBeEmpty();
    await expect(first.locator('span.price')).toContainText('£');
    await expect(first.locator('button.favourite-toggle')).toHaveAttribute('aria-pressed', /^(true|false)$/);
  }
});

test('a category shows 24 products, then appends more while scrolling', async ({ page }) => {
  await open(page, '/');
  // The category with the most products surely has a second page.
  const links = page.locator('#categories ul.category-list a[href^="/c/"]');
  await expect(links.first()).toBeVisible();
  const counts = await links.locator('.category-count').allTextContents();
  const biggest = counts.map(firstNumber).reduce((best, n, i, all) => (n > all[best] ? i : best), 0);
  expect(firstNumber(counts[biggest])).toBeGreaterThan(24);
  const href = await links.nth(biggest).getAttribute('href');
  await links.nth(biggest).click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator('main h1')).toBeVisible();
  await expect(page.locator('p.result-count')).toContainText(/\d/);
  await expect(page.locator(firstPageCards)).toHaveCount(24);
  await expect(page.locator('#load-more')).toHaveAttribute('data-next-page', '2');

  // A full page load would lose this mark; appending in place keeps it.
  await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
  const urlBefore = page.url();
  const appended = page.locator(appendedCards);
  await expect(appended).toHaveCount(0);

  await expect
    .poll(
      async () => {
        await page.mouse.wheel(0, 2000);
        await page.locator('#load-more').scrollIntoViewIfNeeded();
        return appended.count();
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
  expect(await page.locator('main li.product-card').count()).toBeGreaterThan(24);
  expect(page.url()).toBe(urlBefore);
  expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  // No product appears twice.
  const hrefs = await page.locator('main li.product-card a.product-link').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href')),
  );
  expect(new Set(hrefs).size).toBe(hrefs.length);

  // The pager is there for crawlers and script-less browsers.
  const next = page.locator('nav.pager a[rel="next"]');
  await expect(next).toHaveAttribute('href', /[?&]page=2(&|$)/);
  await expect(page.locator('nav.pager a[rel="prev"]')).toHaveCount(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('page 2 of a category is rendered by the server', async ({ page }) => {
    const response = await page.goto('/c/kitchen?page=2');
    expect(response?.status()).toBe(200);
    await expect(page.locator(firstPageCards)).toHaveCount(24);
    await expect(page.locator('nav.pager [aria-current="page"]')).toHaveText('2');
    await expect(page.locator('nav.pager a[rel="prev"]')).toHaveAttribute('href', /\/c\/kitchen/);
    await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', /page=2/);
    // Page 2 starts where page 1 ended: no overlap.
    const page2 = await page.locator(`${firstPageCards} a.product-link`).evaluateAll((as) =>
      as.map((a) => a.getAttribute('href')),
    );
    await page.goto('/c/kitchen');
    const page1 = await page.locator(`${firstPageCards} a.product-link`).evaluateAll((as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(page1.filter((h) => page2.includes(h))).toEqual([]);
  });
});

test('a product page has its title, price and structured data', async ({ page }) => {
  await open(page, '/c/kitchen');
  const link = page.locator(`${firstPageCards} a.product-link`).first();
  const title = (await link.locator('.product-title').textContent())?.trim() ?? '';
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/p\/.+/);
  await link.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.locator('main h1')).toHaveText(title);
  await expect(page.locator('main p.price')).toContainText(/£\d{1,3}(,\d{3})*\.\d\d/);
  await expect(page.locator('main p.stock')).not.toBeEmpty();
  await expect(page.locator('main .product-detail button.favourite-toggle')).toHaveAttribute('aria-pressed', /^(true|false)$/);
  await expect(page.locator('#also-bought li.product-card').first()).toBeVisible();

  // What crawlers and link previews get: the server-rendered page.
  const response = await page.goto(href);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle(new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', title);
  await expect(page.locator('p.description')).not.toBeEmpty();
  const ld = await page.locator('script[type="application/ld+json"]').first().textContent();
  const data = JSON.parse(ld ?? '');
  expect(data['@type']).toBe('Product');
  expect(data.name).toBe(title);
  expect(data.offers?.priceCurrency).toBe('GBP');
  expect(Number(data.offers?.price)).toBeGreaterThan(0);
});

test('each page has exactly one meta description, its own', async ({ page }) => {
  // Crawlers use the first one: a shop-wide default before the page's own would hide it.
  await page.goto('/c/kitchen');
  const href = (await page.locator(`${firstPageCards} a.product-link`).first().getAttribute('href'))!;
  await page.goto(href);
  const descriptions = page.locator('meta[name="description"]');
  await expect(descriptions).toHaveCount(1);
  const description = (await page.locator('p.description').textContent())?.trim() ?? '';
  await expect(descriptions).toHaveAttribute('content', description);
  await page.goto('/');
  await expect(page.locator('meta[name="description"]')).toHaveCount(1);
});

test('unreadable and unknown addresses get 4xx statuses', async ({ page }) => {
  for (const url of ['/c/kitchen?page=-1', '/c/kitchen?min=abc', '/c/kitchen?page=abc']) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(400);
    await expect(page.locator('section.message-page[role="alert"]')).toBeVisible();
  }
  for (const url of ['/p/NO-SUCH-PRODUCT', '/c/no-such-category', '/no/such/page']) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(404);
    await expect(page.locator('.message-page')).toBeVisible();
  }
  const response = await page.goto('/c/kitchen?q=' + 'x'.repeat(10_000));
  const status = response?.status() ?? 0;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
});

test('filters and sorting narrow and order a category', async ({ page }) => {
  await open(page, '/c/kitchen');
  const form = page.locator('form.filters');
  await form.locator('select[name="sort"]').selectOption('price-asc');
  await form.locator('input[name="stock"][value="in"]').check();
  await form.locator('button[type="submit"], input[type="submit"]').first().click();
  await expect(page).toHaveURL(/sort=price-asc/);
  await expect(page).toHaveURL(/stock=in/);
  await expect(page.locator(firstPageCards).first()).toBeVisible();
  const prices = (await page.locator(`${firstPageCards} .price`).allTextContents()).map((t) =>
    Number(t.replace(/[^0-9.]/g, '')),
  );
  expect(prices.length).toBeGreaterThan(1);
  expect([...prices].sort((a, b) => a - b)).toEqual(prices);
  await expect(page.locator(`${firstPageCards} .stock.out`)).toHaveCount(0);
  // The form shows what is applied.
  await expect(page.locator('form.filters select[name="sort"]')).toHaveValue('price-asc');
});
