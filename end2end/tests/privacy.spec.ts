import { test, expect, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { hydrated, open } from './support';

// The privacy centre (consents, export, deletion) and the public privacy notice. Every test
// makes its own account (the tests share one database).

const PASSWORD = 'violet orchard canal 58';

function uniqueEmail(): string {
  return `p${Date.now()}-${Math.random().toString(36).slice(2, 10)}@example.com`;
}

async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
  await hydrated(page);
}

async function signUp(page: Page, email: string, name: string, next: string) {
  await open(page, `/signup?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.locator('#sign-up-password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-up-form button[type="submit"]'));
  await expect(page.locator('header #account-link')).toContainText(name);
}

test('a consent switch keeps its setting across reloads', async ({ page }) => {
  await signUp(page, uniqueEmail(), 'Consent Tester', '/account/privacy');
  await expect(page).toHaveURL(/\/account\/privacy$/);
  await expect(page.locator('main h1')).toHaveText('Privacy centre');

  // Everything is off until chosen, each with an explanation.
  for (const name of ['Personalised recommendations', 'Analytics', 'Offers by email']) {
    await expect(page.getByRole('switch', { name })).toHaveAttribute('aria-checked', 'false');
  }
  const analytics = () => page.getByRole('switch', { name: 'Analytics' });
  await expect(page.locator('#consent-analytics')).toContainText('what you search for');
  await expect(page.locator('#consent-analytics-state')).toContainText('you have not chosen yet');

  await analytics().click();
  await expect(analytics()).toHaveAttribute('aria-checked', 'true');
  await expect(page.locator('#consent-analytics-state')).toContainText('On since');
  await expect(page.locator('#consent-analytics-state')).toContainText('privacy notice version');
  // Focus stays on the switch that was used.
  await expect(analytics()).toBeFocused();

  await page.reload();
  await hydrated(page);
  await expect(analytics()).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('switch', { name: 'Offers by email' })).toHaveAttribute('aria-checked', 'false');

  // And off again, with the keyboard.
  await analytics().focus();
  await page.keyboard.press('Enter');
  await expect(analytics()).toHaveAttribute('aria-checked', 'false');
  await expect(page.locator('#consent-analytics-state')).toContainText('Off since');
  await page.reload();
  await hydrated(page);
  await expect(analytics()).toHaveAttribute('aria-checked', 'false');
});

test('"Download my data" gives a JSON file with the email and the addresses', async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, 'Export Tester', '/account/addresses');
  const form = page.locator('#address-form');
  await form.getByLabel('Full name').fill('Export Tester');
  await form.getByLabel('Address line 1').fill('7 Data Lane');
  await form.getByLabel('Town or city').fill('Bristol');
  await form.getByLabel('Postcode').fill('BS1 5TR');
  await form.getByLabel('Country code').fill('GB');
  await form.locator('button[type="submit"]').click();
  await expect(page.locator('main li.address-card')).toHaveCount(1);

  await open(page, '/account/privacy');
  const link = page.getByRole('link', { name: 'Download my data' });
  await expect(link).toHaveAttribute('href', '/account/export.json');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const text = await readFile((await download.path())!, 'utf8');
  const data = JSON.parse(text);
  expect(JSON.stringify(data)).toContain(email);
  expect(data.profile.email).toBe(email);
  expect(JSON.stringify(data.addresses)).toContain('7 Data Lane');
});

test('deleting the account needs the password, signs out, and the account is gone', async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, 'Delete Tester', '/account/privacy');

  const section = page.locator('.danger-zone');
  await expect(section).toContainText('This cannot be undone');
  const form = page.locator('#delete-account-form');

  // Without ticking the box the browser will not send the form.
  await form.getByLabel('Your password, to confirm').fill(PASSWORD);
  await form.locator('button[type="submit"]').click();
  expect(await form.locator('#delete-confirm').evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);

  // A wrong password deletes nothing.
  await form.getByLabel('Your password, to confirm').fill('definitely not it');
  await form.getByLabel('I understand').check();
  await form.locator('button[type="submit"]').click();
  await expect(form.locator('[role="alert"]')).toContainText('nothing was deleted');

  // The right one: signed out, back home.
  await form.getByLabel('Your password, to confirm').fill(PASSWORD);
  await clickAndLoad(page, form.locator('button[type="submit"]'));
  await expect(page).toHaveURL(/\/\?account=deleted$/);
  await expect(page.locator('header a.nav-account')).toHaveText(/Sign in/);

  // Signing in again fails.
  await open(page, '/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.locator('#sign-in-form button[type="submit"]').click();
  await expect(page.locator('#sign-in-form [role="alert"]')).toContainText('do not match an account');
});

test('the privacy centre asks visitors to sign in', async ({ page }) => {
  const response = await open(page, '/account/privacy');
  expect(response?.status()).toBe(401);
  await expect(page.locator('main h1')).toHaveText('Please sign in');
  await expect(page.locator('main a[href="/signin?next=/account/privacy"]')).toBeVisible();
});

test('the privacy notice says what is kept, why, for how long, and the rights', async ({ page }) => {
  await open(page, '/');
  await page.locator('footer a[href="/privacy"]').click();
  await expect(page).toHaveURL(/\/privacy$/);
  const main = page.locator('main');
  await expect(main.locator('h1')).toHaveText('Privacy notice');
  for (const phrase of [
    'email, name and password',
    'Addresses',
    'Orders',
    'Favourites and cart',
    'Product views and searches',
    'IP address',
    'user agent',
    '30 minutes without activity',
    '12 hours',
    '30 days',
    'Only while your consent holds',
    '6 years',
    'HMRC',
    'pseudonymised',
    '1 hour',
    'Get a copy of your data',
    'Delete your account',
    'Withdraw a consent',
  ]) {
    await expect(main).toContainText(phrase);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});
