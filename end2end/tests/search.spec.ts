import { test, expect, type Page } from '@playwright/test';
import { open, firstNumber } from './support';

// Search: suggestions while typing, typo tolerance, highlighted matches, facets that
// narrow the results, and an empty state that helps.

test('the header search suggests completions of a prefix', async ({ page }) => {
  await open(page, '/');
  const input = page.locator('form[role="search"] input#search-input[name="q"]');
  const suggestions = page.locator('ul#search-suggestions li a');
  await input.click();
  await input.pressSequentially('c');
  // One character is not enough to ask.
  await expect(page.locator('ul#search-suggestions')).toBeHidden();
  await input.pressSequentially('hris');
  await expect(suggestions.first()).toBeVisible();
  const texts = await suggestions.allTextContents();
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.length).toBeLessThanOrEqual(8);
  expect(texts.some((t) => /chris/i.test(t))).toBe(true);
  await expect(suggestions.first()).toHaveAttribute('href', /^\/search\?q=/);

  // Escape closes the list.
  await input.press('Escape');
  await expect(page.locator('ul#search-suggestions')).toBeHidden();
});

test('a misspelt query still finds what was meant', async ({ page }) => {
  await open(page, '/');
  const input = page.locator('input#search-input');
  await input.fill('lanturn');
  await input.press('Enter');
  await page.waitForURL(/\/search\?q=lanturn/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 15_000 });
  await expect(page.locator('main h1')).toContainText('lanturn');
  const titles = page.locator('ul.search-results li.product-card .product-title');
  await expect(titles.first()).toBeVisible();
  const all = await titles.allTextContents();
  expect(all.some((t) => /lantern/i.test(t))).toBe(true);
  // The matched word is highlighted.
  await expect(page.locator('ul.search-results li.product-card mark').first()).toHaveText(/lantern/i);
  expect(firstNumber(await page.locator('p.result-count').textContent())).toBeGreaterThan(0);
});

test('facets show counts and a category facet narrows the results', async ({ page }) => {
  await open(page, '/search?q=christmas');
  const total = firstNumber(await page.locator('p.result-count').textContent());
  expect(total).toBeGreaterThan(1);

  const categories = page.locator('#facet-categories li a');
  await expect(categories.first()).toBeVisible();
  const facetTexts = await categories.allTextContents();
  for (const t of facetTexts) expect(t).toMatch(/\(\d+\)/);
  const prices = page.locator('#facet-price li a');
  await expect(prices.first()).toBeVisible();
  for (const t of await prices.allTextContents()) expect(t).toMatch(/£.*\(\d+\)/);

  // Pick the smallest category facet: it must narrow the list.
  const counts = facetTexts.map((t) => Number(t.match(/\((\d+)\)/)?.[1]));
  const pick = counts.reduce((best, n, i, all) => (n < all[best] ? i : best), 0);
  const expected = counts[pick];
  expect(expected).toBeLessThanOrEqual(total);
  await categories.nth(pick).click();
  await expect(page).toHaveURL(/[?&]cat=[^&]+/);
  await expect
    .poll(async () => firstNumber(await page.locator('p.result-count').textContent()))
    .toBe(expected);
  await expect(page.locator('#facet-categories li a[aria-current="true"]')).toHaveCount(1);
  const shown = await page.locator('ul.search-results li.product-card').count();
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThanOrEqual(expected);
  await expect(page.locator('a.clear-filters')).toBeVisible();
});

test('a query that matches nothing shows the empty state', async ({ page }) => {
  await open(page, '/search?q=qzxvwjkpqz');
  await expect(page.locator('.empty-state')).toBeVisible();
  await expect(page.locator('ul.search-results li.product-card')).toHaveCount(0);
  expect(firstNumber(await page.locator('p.result-count').textContent())).toBe(0);
  // It offers somewhere to go.
  await expect(page.locator('.empty-state a[href^="/c/"]').first()).toBeVisible();
});

test('an over-long query is refused, not searched', async ({ page }) => {
  const response = await page.goto('/search?q=' + 'lantern '.repeat(40));
  const status = response?.status() ?? 0;
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
});
