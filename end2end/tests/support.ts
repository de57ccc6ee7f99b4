import { expect, type Page } from '@playwright/test';

/**
 * Wait until the app has hydrated (the marker is set at the end of hydrate()). No fixed
 * limit of its own: on a loaded machine hydration can take longer than any guess, so the
 * wait is bounded by the test's timeout (mark long journeys `test.slow()`), never retried.
 */
export async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 0 });
}

/** Open `url`, wait for hydration, and return the navigation's response. */
export async function open(page: Page, url: string) {
  const response = await page.goto(url);
  await hydrated(page);
  return response;
}

/** The first whole number in a text such as "1,234 products". */
export function firstNumber(text: string | null): number {
  const m = (text ?? '').replace(/[,\s]/g, '').match(/\d+/);
  return m ? Number(m[0]) : NaN;
}

/** A delivery address on the checkout form (and the email, for a guest). */
export async function fillDelivery(
  page: Page,
  a: { name: string; line1: string; city: string; postcode: string; email?: string },
) {
  if (a.email) await page.getByTestId('checkout-email').fill(a.email);
  await page.getByTestId('co-name').fill(a.name);
  await page.getByTestId('co-line1').fill(a.line1);
  await page.getByTestId('co-city').fill(a.city);
  await page.getByTestId('co-postcode').fill(a.postcode);
  await page.getByTestId('co-country').fill('GB');
}

/** Pay by card and wait for the order page; returns the order number. */
export async function payByCardAndWait(page: Page, card = '4242 4242 4242 4242'): Promise<string> {
  await page.getByTestId('card-number').fill(card);
  await page.getByTestId('card-expiry').fill('12/30');
  await page.getByTestId('card-cvc').fill('123');
  await page.getByTestId('place-order').click();
  await expect(page).toHaveURL(/\/orders\/EM[A-Z0-9]{10}/, { timeout: 20_000 });
  await hydrated(page);
  return page.url().match(/EM[A-Z0-9]{10}/)![0];
}
