import { test, expect, type Browser, type Page } from '@playwright/test';
import { hydrated, open } from './support';
import { pence, pounds } from './money';

// The cart (server-side, for guests and members) and favourites that follow a member:
// add to cart from a product page, change the quantity, remove; a guest's cart and
// favourites join the account on sign-up / sign-in. Every test makes its own account.

const PASSWORD = 'plum-harbour-7319';
const FAVOURITES_KEY = 'emporium.favourites';

function uniqueEmail(): string {
  return `u${Date.now()}${Math.random()}@example.com`;
}

/** Product pages of the first `n` best sellers (recent sales, so in stock). */
async function bestSellerHrefs(page: Page, n: number): Promise<string[]> {
  await open(page, '/');
  const hrefs = await page.locator('#best-sellers a.product-link').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href') ?? ''),
  );
  const unique = [...new Set(hrefs)].filter((h) => h.startsWith('/p/'));
  expect(unique.length).toBeGreaterThanOrEqual(n);
  return unique.slice(0, n);
}

function cartLink(page: Page) {
  return page.locator('header a.nav-cart');
}

async function addToCart(page: Page, href: string, quantity: number) {
  await open(page, href);
  await page.locator('#add-quantity').fill(String(quantity));
  await page.locator('form.add-to-cart button[type="submit"]').click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
}

/** Click something that ends in a full page load and wait for the new page. */
async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
  await hydrated(page);
}

async function signUp(page: Page, email: string) {
  await open(page, '/signup');
  await page.locator('#sign-up-name').fill('Cart Tester');
  await page.locator('#sign-up-email').fill(email);
  await page.locator('#sign-up-password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-up-form button[type="submit"]'));
  await expect(page).toHaveURL(/\/account$/);
}

async function signIn(page: Page, email: string) {
  await open(page, '/signin');
  await page.locator('#sign-in-email').fill(email);
  await page.locator('#sign-in-password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-in-form button[type="submit"]'));
  await expect(page).toHaveURL(/\/account$/);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  return context.newPage();
}

test('add to cart from a product page, change the quantity, remove it', async ({ page }) => {
  const [href] = await bestSellerHrefs(page, 1);
  await open(page, href);
  await expect(cartLink(page)).toHaveText(/Cart \(0\)/);
  const price = pence(await page.locator('main .product-info .price').textContent());

  // The quantity selector is labelled; the count in the header follows the cart.
  await expect(page.getByLabel('Quantity')).toHaveValue('1');
  await page.getByLabel('Quantity').fill('2');
  await page.getByRole('button', { name: /^Add to cart/ }).click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
  await expect(cartLink(page)).toHaveText(/Cart \(2\)/);

  // The cart page lists it, with line total and subtotal.
  await page.locator('.cart-feedback a[href="/cart"]').click();
  await expect(page).toHaveURL(/\/cart$/);
  const line = page.locator('main li.cart-line');
  await expect(line).toHaveCount(1);
  await expect(line.locator('a.cart-line-title')).toHaveAttribute('href', href);
  const quantity = line.getByLabel(/Quantity/);
  await expect(quantity).toHaveValue('2');
  expect(pence(await line.locator('.cart-line-total').textContent())).toBe(2 * price);
  expect(pence(await page.locator('.cart-subtotal').textContent())).toBe(2 * price);

  // Fits a 360 px screen without sideways scrolling.
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  // Change the quantity.
  await quantity.fill('3');
  await line.getByRole('button', { name: /^Update/ }).click();
  await expect(cartLink(page)).toHaveText(/Cart \(3\)/);
  await expect(line.locator('.cart-line-total')).toContainText(pounds(3 * price));
  await expect(page.locator('.cart-subtotal')).toContainText(pounds(3 * price));

  // The selector never offers more than the stock or the per-product limit.
  const max = Number(await quantity.getAttribute('max'));
  expect(max).toBeGreaterThanOrEqual(3);
  expect(max).toBeLessThanOrEqual(99);

  // The cart is kept by the server: it survives a reload.
  await open(page, '/cart');
  await expect(page.locator('main li.cart-line').getByLabel(/Quantity/)).toHaveValue('3');

  // Remove it.
  await page.locator('main li.cart-line').getByRole('button', { name: /^Remove/ }).click();
  await expect(page.locator('main .cart-empty')).toBeVisible();
  await expect(page.locator('main li.cart-line')).toHaveCount(0);
  await expect(cartLink(page)).toHaveText(/Cart \(0\)/);
});

test('a guest cart joins the account on sign-up and on sign-in', async ({ page, browser }) => {
  const email = uniqueEmail();
  const [first, second] = await bestSellerHrefs(page, 2);

  // A guest puts two products in the cart, then signs up.
  await addToCart(page, first, 1);
  await addToCart(page, second, 1);
  await expect(cartLink(page)).toHaveText(/Cart \(2\)/);
  await signUp(page, email);
  await expect(cartLink(page)).toHaveText(/Cart \(2\)/);
  await open(page, '/cart');
  await expect(page.locator('main li.cart-line')).toHaveCount(2);

  // Another browser: a guest there adds one more of the first product, then signs in.
  const other = await newPage(browser);
  await addToCart(other, first, 1);
  await expect(cartLink(other)).toHaveText(/Cart \(1\)/);
  await signIn(other, email);
  await expect(cartLink(other)).toHaveText(/Cart \(3\)/);
  await open(other, '/cart');
  const lines = other.locator('main li.cart-line');
  await expect(lines).toHaveCount(2);
  await expect(
    lines.filter({ has: other.locator(`a.cart-line-title[href="${first}"]`) }).getByLabel(/Quantity/),
  ).toHaveValue('2');
  await other.context().close();
});

test('guest favourites join the account after sign-up and follow the member to another browser', async ({
  page,
  browser,
}) => {
  const email = uniqueEmail();
  const [href] = await bestSellerHrefs(page, 1);

  // As a guest: kept in this browser.
  await open(page, href);
  const button = page.locator('main .product-detail button.favourite-toggle');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  const stored = () =>
    page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? '[]') as string[], FAVOURITES_KEY);
  expect(await stored()).toHaveLength(1);

  // Signing up merges them into the account and empties this browser's list.
  await signUp(page, email);
  await expect.poll(stored).toEqual([]);
  await open(page, '/favourites');
  await expect(page.locator(`main li.product-card a.product-link[href="${href}"]`)).toBeVisible();

  // Another browser, signed in as the same member, sees them.
  const other = await newPage(browser);
  await signIn(other, email);
  await open(other, '/favourites');
  const card = other.locator('main li.product-card', { has: other.locator(`a.product-link[href="${href}"]`) });
  await expect(card).toBeVisible();
  await expect(other.locator('main li.product-card')).toHaveCount(1);
  const toggle = card.locator('button.favourite-toggle');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');

  // Removed there: gone for the member everywhere, and never stored in that browser.
  const removed = other.waitForResponse((r) => r.url().includes('/api/favourites/remove'));
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  expect((await removed).status()).toBe(200);
  expect(
    await other.evaluate((key) => localStorage.getItem(key), FAVOURITES_KEY),
  ).toBeNull();
  await open(page, '/favourites');
  await expect(page.locator('main .empty-state')).toBeVisible();
  await other.context().close();
});
