import { test, expect, type Page } from '@playwright/test';
import { hydrated, open } from './support';
import { pence, pounds } from './money';

// Checkout journeys: a guest pays by card; a declined card, then a good one for the same
// order; coupons (a demo coupon applies, an unknown one is refused with a message); the
// mini-cart and "save for later". Each test starts with its own browser context (its own
// guest cart) and buys a best seller.

const GOOD_CARD = '4242 4242 4242 4242';
const DECLINED_CARD = '4000 0000 0000 0002';

async function bestSellers(page: Page, n: number): Promise<string[]> {
  await open(page, '/');
  const hrefs = await page.locator('#best-sellers a.product-link').evaluateAll((links) =>
    links.map((a) => a.getAttribute('href') ?? ''),
  );
  const unique = [...new Set(hrefs)].filter((h) => h.startsWith('/p/'));
  expect(unique.length).toBeGreaterThanOrEqual(n);
  return unique.slice(0, n);
}

async function addToCart(page: Page, href: string, quantity = 1) {
  await open(page, href);
  await page.locator('#add-quantity').fill(String(quantity));
  await page.locator('form.add-to-cart button[type="submit"]').click();
  await expect(page.locator('.cart-feedback')).toContainText('Added to your cart');
}

/** From the cart page to a checkout form whose stock is held. */
async function startCheckout(page: Page) {
  await open(page, '/cart');
  await page.getByTestId('go-to-checkout').click();
  await expect(page).toHaveURL(/\/checkout$/);
  await hydrated(page);
  await expect(page.getByTestId('checkout-form')).toBeVisible({ timeout: 15_000 });
}

async function fillGuestAddress(page: Page) {
  await page.getByTestId('checkout-email').fill(`guest${Date.now()}@example.com`);
  await page.getByTestId('co-name').fill('Grace Guest');
  await page.getByTestId('co-line1').fill('12 Market Street');
  await page.getByTestId('co-city').fill('Leeds');
  await page.getByTestId('co-postcode').fill('LS1 6DT');
  await page.getByTestId('co-country').fill('GB');
}

async function pay(page: Page, card: string) {
  await page.getByTestId('card-number').fill(card);
  await page.getByTestId('card-expiry').fill('12/30');
  await page.getByTestId('card-cvc').fill('123');
  await page.getByTestId('place-order').click();
}

test('instalments show their fee and monthly payments before paying, and the order charges them', async ({ page }) => {
  const [product] = await bestSellers(page, 1);
  await addToCart(page, product, 1);
  await startCheckout(page);
  await fillGuestAddress(page);
  await expect(page.getByTestId('quote-total')).toBeVisible();
  const plain = pence(await page.getByTestId('quote-total').textContent());
  await page.getByTestId('pay-instalments_3').check();
  await expect(page.getByTestId('quote-payment-fee')).toBeVisible();
  const fee = pence(await page.getByTestId('quote-payment-fee').textContent());
  expect(fee).toBe(Math.floor((plain * 250 * 2 + 10_000) / 20_000));
  await expect(page.getByTestId('quote-total')).toHaveText(pounds(plain + fee));
  await expect(page.getByTestId('quote-plan')).toContainText('3 monthly payments');
  await pay(page, GOOD_CARD);
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.getByTestId('order-payment-fee')).toHaveText(pounds(fee));
  await expect(page.getByTestId('order-total')).toHaveText(pounds(plain + fee));
});

test('pay later says nothing is taken today', async ({ page }) => {
  const [product] = await bestSellers(page, 1);
  await addToCart(page, product, 1);
  await startCheckout(page);
  await fillGuestAddress(page);
  await page.getByTestId('pay-pay_later').check();
  await expect(page.getByTestId('pay-later-hint')).toContainText('Nothing to pay today');
  await expect(page.getByTestId('quote-payment-fee')).toHaveCount(0);
  await pay(page, GOOD_CARD);
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.getByTestId('order-state')).toHaveAttribute('data-state', 'paid');
});

test('a guest checks out with a card and sees the paid order', async ({ page }) => {
  const [product] = await bestSellers(page, 1);
  await addToCart(page, product, 2);
  await startCheckout(page);
  await fillGuestAddress(page);
  await expect(page.getByTestId('quote-total')).toBeVisible();
  const standard = (await page.getByTestId('quote-total').textContent())!;
  await page.getByTestId('delivery-express').check();
  // The review shows the express window and a total that includes delivery (once the
  // quote for express has come back).
  await expect(page.getByTestId('quote-total')).not.toHaveText(standard);
  await expect(page.getByTestId('quote-window')).toContainText('Arrives');
  const total = pence(await page.getByTestId('quote-total').textContent());
  expect(total).toBeGreaterThan(0);
  await pay(page, GOOD_CARD);
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.locator('main')).toContainText('Paid');
  await expect(page.locator('main')).toContainText(pounds(total));
  // The basket is empty afterwards.
  await open(page, '/cart');
  await expect(page.locator('.cart-empty')).toBeVisible();
});

test('a declined card keeps the order; another card pays for it', async ({ page }) => {
  const [, product] = await bestSellers(page, 2);
  await addToCart(page, product);
  await startCheckout(page);
  await fillGuestAddress(page);
  await pay(page, DECLINED_CARD);
  await expect(page.getByTestId('checkout-error')).toContainText('declined', { timeout: 20_000 });
  await expect(page.getByTestId('order-saved')).toContainText(/EM[A-Z0-9]{10}/);
  await expect(page.getByTestId('place-order')).toHaveText('Pay again');
  await page.getByTestId('card-number').fill(GOOD_CARD);
  await page.getByTestId('place-order').click();
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.locator('main')).toContainText('Paid');
});

test('a demo coupon lowers the total; an unknown one is refused', async ({ page }) => {
  const [, , product] = await bestSellers(page, 3);
  await addToCart(page, product, 3);
  await startCheckout(page);
  const before = pence(await page.getByTestId('quote-total').textContent());
  await page.getByTestId('coupon').fill('NOSUCHCODE');
  await page.getByTestId('apply-coupon').click();
  await expect(page.getByTestId('coupon-error')).toContainText('not valid');
  await page.getByTestId('coupon').fill('take5');
  await page.getByTestId('apply-coupon').click();
  await expect(page.getByTestId('quote-discount')).toContainText('£5.00');
  const after = pence(await page.getByTestId('quote-total').textContent());
  expect(after).toBe(Math.max(0, before - 500));
});

test('the mini-cart lists the basket; a line saved for later leaves it', async ({ page }) => {
  const [a, b] = await bestSellers(page, 2);
  await addToCart(page, a);
  await addToCart(page, b);
  await page.getByTestId('mini-cart-toggle').click();
  await expect(page.getByTestId('mini-cart')).toBeVisible();
  await expect(page.getByTestId('mini-cart').locator('li')).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('mini-cart')).toBeHidden();

  await open(page, '/cart');
  const first = page.locator('.cart-lines .cart-line').first();
  const title = (await first.locator('.cart-line-title').textContent()) ?? '';
  await first.getByRole('button', { name: /Save for later/ }).click();
  await expect(page.getByTestId('saved-for-later')).toContainText(title);
  await expect(page.locator('header a.nav-cart')).toContainText('(1)');
  await page.getByTestId('saved-for-later').getByRole('button', { name: /Move to basket/ }).click();
  await expect(page.getByTestId('saved-for-later')).toHaveCount(0);
  await expect(page.locator('header a.nav-cart')).toContainText('(2)');
});

test('a member pays with a wallet; the signed webhook marks the order paid', async ({ page }) => {
  await open(page, '/signup');
  await page.locator('#sign-up-name').fill('Wallet Member');
  await page.locator('#sign-up-email').fill(`w${Date.now()}${Math.random()}@example.com`);
  await page.locator('#sign-up-password').fill('plum-harbour-7319');
  const loaded = page.waitForEvent('load');
  await page.locator('#sign-up-form button[type="submit"]').click();
  await loaded;
  await hydrated(page);
  const [, , , product] = await bestSellers(page, 4);
  await addToCart(page, product);
  await startCheckout(page);
  await page.getByTestId('co-name').fill('Wei Member');
  await page.getByTestId('co-line1').fill('8 Canal Street');
  await page.getByTestId('co-city').fill('Manchester');
  await page.getByTestId('co-postcode').fill('M1 3HE');
  await page.getByTestId('pay-alipay').check();
  // A wallet needs no card: the card fields give way to a hint.
  await expect(page.getByTestId('wallet-hint')).toBeVisible();
  await expect(page.getByTestId('card-number')).toHaveCount(0);
  await page.getByTestId('place-order').click();
  // The provider's page with the QR code; "approve" stands in for the phone.
  await expect(page).toHaveURL(/\/pay\/sim\/wallet\/pi_sim_/, { timeout: 20_000 });
  await expect(page.locator('.qr svg')).toBeVisible();
  await page.getByTestId('wallet-approve').click();
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.getByTestId('order-state')).toContainText('Paid');
});

test('the bank asks for confirmation (3-D Secure), then the order is paid', async ({ page }) => {
  const [, , , , product] = await bestSellers(page, 5);
  await addToCart(page, product);
  await startCheckout(page);
  await fillGuestAddress(page);
  await pay(page, '4000 0000 0000 3220');
  await expect(page).toHaveURL(/\/pay\/sim\/3ds\//, { timeout: 20_000 });
  await page.getByRole('button', { name: 'Approve' }).click();
  await expect(page).toHaveURL(/\/checkout\/pay\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.getByTestId('pay-order-state')).toContainText('Paid');
  await page.getByTestId('view-order').click();
  await expect(page.getByTestId('order-state')).toContainText('Paid');
});
