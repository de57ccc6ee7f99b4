import { test, expect, type Page } from '@playwright/test';
import { hydrated, open } from './support';

// Accounts: sign-up (with the password policy), sign-out, sign-in (wrong then right
// password), the profile, the address book and signing another device out. Every test
// makes its own account (the tests share one database).

const PASSWORD = 'amber kettle harbour 42';

function uniqueEmail(): string {
  return `u${Date.now()}-${Math.random().toString(36).slice(2, 10)}@example.com`;
}

/** Click something that ends in a full page load (sign-in, sign-out) and wait for the new page. */
async function clickAndLoad(page: Page, target: ReturnType<Page['locator']>) {
  const loaded = page.waitForEvent('load');
  await target.click();
  await loaded;
  await hydrated(page);
}

async function signUp(page: Page, email: string, name: string, next = '/account') {
  await open(page, `/signup?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.locator('#sign-up-password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-up-form button[type="submit"]'));
  await expect(page).toHaveURL(new RegExp(`${next.replace(/\//g, '\\/')}$`));
  await expect(page.locator('header #account-link')).toContainText(name);
}

async function signIn(page: Page, email: string, password: string, next = '/account') {
  await open(page, `/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await clickAndLoad(page, page.locator('#sign-in-form button[type="submit"]'));
}

test('sign up (a common password is refused), sign out, sign in with a wrong then the right password', async ({ page }) => {
  const email = uniqueEmail();
  await open(page, '/');
  // Signed out: the header offers to sign in.
  await expect(page.locator('header a.nav-account')).toHaveText(/Sign in/);

  await open(page, '/signup');
  await expect(page.locator('#sign-up-password')).toHaveAttribute('autocomplete', 'new-password');
  await expect(page.locator('#sign-up-password-hint')).toContainText('At least 8 characters');
  await page.getByLabel('Your name').fill('Ada Shopper');
  await page.getByLabel('Email address').fill(email);
  await page.locator('#sign-up-password').fill('password123');
  await page.locator('#sign-up-form button[type="submit"]').click();
  const alert = page.locator('#sign-up-form [role="alert"]');
  await expect(alert).toContainText('one of the most common');
  await expect(page).toHaveURL(/\/signup/);

  // A good password: signed in and sent to the account page, with the name in the header.
  await page.locator('#sign-up-password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-up-form button[type="submit"]'));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('main h1')).toHaveText('Your account');
  await expect(page.locator('main .signed-in-as')).toContainText(email);
  await expect(page.locator('header #account-link')).toContainText('Ada Shopper');

  // Sign out from the header: back home, signed out.
  await clickAndLoad(page, page.locator('header #sign-out'));
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('header a.nav-account')).toHaveText(/Sign in/);
  await expect(page.locator('header #sign-out')).toHaveCount(0);

  // The account page now asks to sign in, and its link comes back here.
  const response = await open(page, '/account');
  expect(response?.status()).toBe(401);
  await expect(page.locator('main h1')).toHaveText('Please sign in');
  await page.locator('main a[href^="/signin"]').click();
  await expect(page).toHaveURL(/\/signin\?next=\/account$/);
  await hydrated(page);

  // A wrong password is refused with a message; the right one signs in.
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill('not the password at all');
  await page.locator('#sign-in-form button[type="submit"]').click();
  await expect(page.locator('#sign-in-form [role="alert"]')).toContainText('do not match an account');
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel('Password').fill(PASSWORD);
  await clickAndLoad(page, page.locator('#sign-in-form button[type="submit"]'));
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.locator('header #account-link')).toContainText('Ada Shopper');
});

test('change the name and the password', async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email, 'Bea Before');

  await page.locator('#rename-name').fill('Bea After');
  await page.locator('#rename-form button[type="submit"]').click();
  await expect(page.locator('#rename-form [role="status"]')).toContainText('Your name has been saved.');
  await expect(page.locator('header #account-link')).toContainText('Bea After');

  // A wrong current password is refused; the right one changes it.
  await page.getByLabel('Current password').fill('wrong wrong wrong');
  await page.getByLabel('New password').fill('copper lantern meadow 7');
  await page.locator('#password-form button[type="submit"]').click();
  await expect(page.locator('#password-form [role="alert"]')).toContainText('current password is not correct');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('copper lantern meadow 7');
  await page.locator('#password-form button[type="submit"]').click();
  await expect(page.locator('#password-form [role="status"]')).toContainText('Your password has been changed');

  // Still signed in here; the new password is the one that works now.
  await open(page, '/account');
  await expect(page.locator('main .signed-in-as')).toContainText(email);
  await clickAndLoad(page, page.locator('header #sign-out'));
  await signIn(page, email, 'copper lantern meadow 7');
  await expect(page).toHaveURL(/\/account$/);
});

test('address book: a refused address, a fix, a second address, a new default, a deletion', async ({ page }) => {
  await signUp(page, uniqueEmail(), 'Cai Addresses', '/account/addresses');
  await expect(page.locator('main h1')).toHaveText('Your address book');
  await expect(page.locator('main .empty-note')).toBeVisible();

  const form = page.locator('#address-form');
  await expect(form.locator('#address-line1')).toHaveAttribute('autocomplete', 'address-line1');
  await form.getByLabel('Full name').fill('Cai Addresses');
  await form.getByLabel('Address line 1').fill('1 High Street');
  await form.getByLabel('Town or city').fill('London');
  await form.getByLabel('Postcode').fill('sw1a 1aa');
  await form.getByLabel('Country code').fill('gb');
  await form.getByLabel('Phone (optional)').fill('12');
  await form.locator('button[type="submit"]').click();
  await expect(form.locator('[role="alert"]')).toContainText('Phone number must have 6 to 15 digits');
  // What was typed is still there: fix the phone only.
  await expect(form.getByLabel('Address line 1')).toHaveValue('1 High Street');
  await form.getByLabel('Phone (optional)').fill('+44 20 7946 0000');
  await form.locator('button[type="submit"]').click();
  await expect(page.locator('main [role="status"]').first()).toContainText('The address has been saved.');

  const cards = page.locator('main li.address-card');
  await expect(cards).toHaveCount(1);
  // The first address becomes the default; the server normalised the fields.
  await expect(cards.first()).toHaveAttribute('data-default', 'true');
  await expect(cards.first()).toContainText('SW1A 1AA');
  await expect(cards.first()).toContainText('GB');

  // A second address.
  const form2 = page.locator('#address-form');
  await expect(form2.getByLabel('Full name')).toHaveValue('');
  await form2.getByLabel('Full name').fill('Cai at Work');
  await form2.getByLabel('Address line 1').fill('20 Office Road');
  await form2.getByLabel('Town or city').fill('Leeds');
  await form2.getByLabel('Postcode').fill('LS1 4AP');
  await form2.getByLabel('Country code').fill('GB');
  await form2.locator('button[type="submit"]').click();
  await expect(cards).toHaveCount(2);
  const work = cards.filter({ hasText: '20 Office Road' });
  const home = cards.filter({ hasText: '1 High Street' });
  await expect(work).not.toHaveAttribute('data-default', 'true');

  // Make the second one the default.
  await work.getByRole('button', { name: /^Make default/ }).click();
  await expect(work).toHaveAttribute('data-default', 'true');
  await expect(home).not.toHaveAttribute('data-default', 'true');
  await expect(page.locator('main [role="status"]').first()).toContainText('default address has been changed');

  // Delete the first one.
  await home.getByRole('button', { name: /^Delete/ }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('20 Office Road');

  // All of it is kept.
  await open(page, '/account/addresses');
  await expect(page.locator('main li.address-card')).toHaveCount(1);
  await expect(page.locator('main li.address-card').first()).toHaveAttribute('data-default', 'true');
});

test('sign another device out from the devices page', async ({ page, browser, baseURL }) => {
  const email = uniqueEmail();
  await signUp(page, email, 'Dev Twice', '/account/devices');

  // The same member on a second device (a separate browser context).
  const other = await browser.newContext({ baseURL });
  const otherPage = await other.newPage();
  try {
    await signIn(otherPage, email, PASSWORD);
    await expect(otherPage).toHaveURL(/\/account$/);

    await open(page, '/account/devices');
    const devices = page.locator('main li.device-card');
    await expect(devices).toHaveCount(2);
    await expect(page.locator('main li.device-card[data-current="true"]')).toHaveCount(1);
    await expect(page.locator('main li.device-card[data-current="true"]')).toContainText('This device');
    const otherDevice = page.locator('main li.device-card:not([data-current])');
    await otherDevice.getByRole('button', { name: /^Sign this device out/ }).click();
    await expect(devices).toHaveCount(1);
    await expect(page.locator('main [role="status"]').first()).toContainText('That device has been signed out.');

    // The other device is signed out on its next request.
    const response = await open(otherPage, '/account');
    expect(response?.status()).toBe(401);
    await expect(otherPage.locator('main h1')).toHaveText('Please sign in');
    await expect(otherPage.locator('header a.nav-account')).toHaveText(/Sign in/);

    // This one still is signed in.
    await open(page, '/account');
    await expect(page.locator('main .signed-in-as')).toContainText(email);
  } finally {
    await other.close();
  }
});

test('account forms have labels and fit a small screen', async ({ page }) => {
  for (const url of ['/signin', '/signup']) {
    await open(page, url);
    const unlabelled = await page.locator('main input:not([type="hidden"])').evaluateAll((inputs) =>
      inputs.filter((i) => !(i as HTMLInputElement).labels?.length).map((i) => i.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  }
  // The keyboard reaches the email field and shows where focus is.
  await open(page, '/signin');
  await page.getByLabel('Email address').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
});
