import { test, expect, type Page } from '@playwright/test';
import { fillDelivery, hydrated, open, payByCardAndWait } from './support';

// After the order: a member's history, the order page, the printable invoice, one-click
// reorder into the cart, and cancelling before shipping (with a confirmation step).

const PASSWORD = 'plum-harbour-7319';

async function signUp(page: Page) {
  await open(page, '/signup');
  await page.locator('#sign-up-name').fill('Order Tester');
  await page.locator('#sign-up-email').fill(`o${Date.now()}${Math.random()}@example.com`);
  await page.locator('#sign-up-password').fill(PASSWORD);
  const loaded = page.waitForEvent('load');
  await page.locator('#sign-up-form button[type="submit"]').click();
  await loaded;
  await hydrated(page);
  await expect(page).toHaveURL(/\/account$/);
}

/** Buy the n-th best seller by card as the signed-in member; returns the order number. */
async function buy(page: Page, nth: number): Promise<string> {
  await open(page, '/');
  const href = await page.locator('#best-sellers a.product-link').nth(nth).getAttribute('href');
  await open(page, href!);
  await page.locator('form.add-to-cart button[type="submit"]').click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
  await open(page, '/checkout');
  await expect(page.getByTestId('checkout-form')).toBeVisible({ timeout: 15_000 });
  await fillDelivery(page, { name: 'Olive Order', line1: '3 Mill Lane', city: 'York', postcode: 'YO1 7HH' });
  return payByCardAndWait(page);
}

test('a member sees the order in the history, its invoice, and buys it again', async ({ page }) => {
  await signUp(page);
  const number = await buy(page, 0);
  await expect(page.getByTestId('order-state')).toContainText('Paid');

  await open(page, '/account/orders');
  await expect(page.getByTestId('order-history')).toContainText(number);

  await open(page, `/orders/${number}/invoice`);
  await expect(page.getByTestId('invoice-number')).toContainText(number);
  await expect(page.getByTestId('invoice-vat')).toContainText('£');
  await expect(page.getByTestId('print-invoice')).toBeVisible();

  await open(page, `/orders/${number}`);
  await page.getByTestId('reorder').click();
  await expect(page.getByTestId('reorder-summary')).toBeVisible();
  await page.getByTestId('go-to-cart').click();
  await expect(page).toHaveURL(/\/cart$/);
  await expect(page.locator('.cart-lines .cart-line')).toHaveCount(1);
});

test('a member cancels a paid order before it ships', async ({ page }) => {
  await signUp(page);
  const number = await buy(page, 1);
  await page.getByTestId('cancel-order').locator('summary').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('order-state')).toContainText('Cancelled', { timeout: 15_000 });
  await open(page, `/orders/${number}`);
  await expect(page.getByTestId('order-state')).toContainText('Cancelled');
  await expect(page.getByTestId('cancel-order')).toHaveCount(0);
});

test('another shopper cannot open the order', async ({ page, browser }) => {
  await signUp(page);
  const number = await buy(page, 2);
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  const response = await other.goto(`/orders/${number}`);
  expect(response?.status()).toBe(404);
  await stranger.close();
});
