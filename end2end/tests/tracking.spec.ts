import { test, expect, type Page } from '@playwright/test';
import { fillDelivery, hydrated, open, payByCardAndWait } from './support';

// After the order: staff pack and ship it from /staff/orders, and the shopper follows the
// parcel until it is delivered (.ci/e2e.sh runs the simulated carrier at 21600x, a day
// of the journey in four seconds); the bell counts the news and the notification centre
// lists it. A guest tracks an order with its number and email.

const PASSWORD = 'plum-harbour-7319';

async function signUp(page: Page) {
  await open(page, '/signup');
  await page.locator('#sign-up-name').fill('Tracy Tracker');
  await page.locator('#sign-up-email').fill(`t${Date.now()}${Math.random()}@example.com`);
  await page.locator('#sign-up-password').fill(PASSWORD);
  const loaded = page.waitForEvent('load');
  await page.locator('#sign-up-form button[type="submit"]').click();
  await loaded;
  await hydrated(page);
  await expect(page).toHaveURL(/\/account$/);
}

/** Buy the n-th best seller by card; guests give `email`. Returns the order number. */
async function buy(page: Page, nth: number, email?: string): Promise<string> {
  await open(page, '/');
  const href = await page.locator('#best-sellers a.product-link').nth(nth).getAttribute('href');
  await open(page, href!);
  await page.locator('form.add-to-cart button[type="submit"]').click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
  await open(page, '/checkout');
  await expect(page.getByTestId('checkout-form')).toBeVisible({ timeout: 15_000 });
  await fillDelivery(page, { email, name: 'Tracy Tracker', line1: '8 Canal Street', city: 'Leeds', postcode: 'LS1 4AB' });
  return payByCardAndWait(page);
}

async function signInAsAdmin(page: Page) {
  await open(page, '/signin?next=/staff/orders');
  await page.getByLabel('Email address').fill(process.env.E2E_ADMIN_EMAIL!);
  await page.getByLabel('Password').fill(process.env.E2E_ADMIN_PASSWORD!);
  const loaded = page.waitForEvent('load');
  await page.locator('#sign-in-form button[type="submit"]').click();
  await loaded;
  await hydrated(page);
}

test('staff pack and ship an order and the shopper tracks it until it is delivered', async ({ page, browser }) => {
  test.skip(!process.env.E2E_ADMIN_EMAIL, 'run through .ci/e2e.sh, which creates the administrator');
  test.setTimeout(120_000);
  await signUp(page);
  const number = await buy(page, 3);
  await expect(page.getByTestId('track-parcel')).toHaveCount(0);

  const staff = await (await browser.newContext()).newPage();
  await signInAsAdmin(staff);
  await expect(staff).toHaveURL(/\/staff\/orders$/);
  const row = staff.locator(`[data-testid="dispatch-row"][data-number="${number}"]`);
  await row.getByTestId('pack').click();
  await expect(staff.getByTestId('dispatch-status')).toContainText(`Order ${number} is packed.`);
  await staff.locator(`[data-testid="dispatch-row"][data-number="${number}"]`).getByTestId('ship').click();
  await expect(staff.getByTestId('dispatch-status')).toContainText(/Tracking number EP\d{9}GB/);
  await expect(staff.locator(`[data-testid="dispatch-row"][data-number="${number}"]`)).toHaveCount(0);

  await open(page, `/orders/${number}`);
  await page.getByTestId('track-parcel').click();
  await expect(page).toHaveURL(new RegExp(`/orders/${number}/tracking$`));
  await hydrated(page);
  await expect(page.getByTestId('tracking-number')).toHaveText(/EP\d{9}GB/);
  await expect(page.getByTestId('eta')).toBeVisible();
  // The page refreshes itself: scans appear, then the parcel is delivered.
  await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'delivered', { timeout: 90_000 });
  await expect(page.getByTestId('delivered-at')).toBeVisible();
  await expect(page.locator('[data-testid="scans"] li[data-kind="delivered"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="track-steps"] li.done')).toHaveCount(7);
  // Nothing scrolls sideways, with the signed-in header's bell, down to 360 px.
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);

  // The bell counts the news; the centre lists it; reading it clears the count.
  await open(page, '/');
  const bell = page.getByTestId('bell');
  await expect(bell).not.toHaveAttribute('data-unread', '0');
  await bell.click();
  await expect(page).toHaveURL(/\/account\/notifications$/);
  await hydrated(page);
  await expect(page.getByTestId('notification').first()).toContainText(`Order ${number}: Delivered`);
  await page.getByTestId('mark-read').click();
  await expect(page.getByTestId('bell')).toHaveAttribute('data-unread', '0');
});

test('a guest tracks an order with its number and email; a wrong email is refused', async ({ page, browser }) => {
  const email = `g${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.com`;
  const number = await buy(page, 4, email);

  const other = await (await browser.newContext()).newPage();
  await open(other, '/track');
  await other.locator('#track-number').fill(number);
  await other.locator('#track-email').fill('wrong@example.com');
  await other.locator('[data-testid="track-form"] button[type="submit"]').click();
  await expect(other.getByTestId('track-error')).toContainText('No order matches');

  await other.locator('#track-email').fill(email.toUpperCase());
  await other.locator('[data-testid="track-form"] button[type="submit"]').click();
  await expect(other.getByTestId('tracking')).toHaveAttribute('data-number', number);
  await expect(other.getByTestId('order-state')).toHaveAttribute('data-state', 'paid');
  await expect(other.getByTestId('scans-empty')).toContainText('Not shipped yet');
  await expect(other.getByTestId('eta')).toBeVisible();
});
