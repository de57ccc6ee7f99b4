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
