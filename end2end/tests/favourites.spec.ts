import { test, expect, type Page } from '@playwright/test';
import { open } from './support';

// Favourites: kept in this browser's localStorage, listed on /favourites.

const STORAGE_KEY = 'emporium.favourites';

async function storedCodes(page: Page): Promise<string[]> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]'), STORAGE_KEY);
}

test('favourite a product, find it on the favourites page, then remove it', async ({ page }) => {
  // A fresh browser has none.
  await open(page, '/favourites');
  await expect(page.locator('main .empty-state')).toBeVisible();

  // Take a product from the home page.
  await open(page, '/');
  const href = await page.locator('#best-sellers a.product-link').first().getAttribute('href');
  expect(href).toMatch(/^\/p\/.+/);
  const code = decodeURIComponent(href!.slice('/p/'.length));

  await open(page, href!);
  const title = (await page.locator('main h1').textContent())?.trim() ?? '';
  const button = page.locator('main .product-detail button.favourite-toggle');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(button).toHaveAccessibleName(new RegExp(`Remove from favourites`));
  expect(await storedCodes(page)).toContain(code);

  // It stays a favourite across page loads.
  await open(page, href!);
  await expect(page.locator('main .product-detail button.favourite-toggle')).toHaveAttribute('aria-pressed', 'true');

  // The favourites page lists it (the header link leads there).
  await page.locator('header a[href="/favourites"]').click();
  await expect(page).toHaveURL(/\/favourites$/);
  const card = page.locator('main li.product-card', { has: page.locator(`a.product-link[href="${href}"]`) });
  await expect(card).toBeVisible();
  await expect(card.locator('.product-title')).toHaveText(title);
  await expect(page.locator('main li.product-card')).toHaveCount(1);

  // Remove it from there.
  const toggle = card.locator('button.favourite-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect(await storedCodes(page)).not.toContain(code);

  await open(page, '/favourites');
  await expect(page.locator('main .empty-state')).toBeVisible();
  await expect(page.locator('main li.product-card')).toHaveCount(0);
});

test('favourite toggles on cards and product pages agree', async ({ page }) => {
  await open(page, '/');
  const card = page.locator('#new-arrivals li.product-card').first();
  const href = await card.locator('a.product-link').getAttribute('href');
  const toggle = card.locator('button.favourite-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  await open(page, href!);
  await expect(page.locator('main .product-detail button.favourite-toggle')).toHaveAttribute('aria-pressed', 'true');
});
