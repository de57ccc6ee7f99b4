import { test, expect, type Page } from '@playwright/test';
import { hydrated } from './support';

// Preferences: the language switch (a cookie set through /prefs, then the page again) and
// the theme toggle (applied in place, kept in a cookie for the server's next render).

test('switch the language to Simplified Chinese and back', async ({ page }) => {
  await page.goto('/c/kitchen');
  await hydrated(page);
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', 'en');
  const select = page.locator('select#language-select');
  await expect(select).toHaveValue('en');
  await expect(page.locator('header a[href="/favourites"]')).toContainText('Favourites');

  await select.selectOption({ label: '简体中文' });
  // The new document (same address) is rendered in Chinese by the server.
  await expect(html).toHaveAttribute('lang', 'zh-CN');
  await expect(page).toHaveURL(/\/c\/kitchen$/);
  await hydrated(page);
  await expect(page.locator('header a[href="/favourites"]')).toContainText('收藏');
  await expect(page.locator('a.skip-link')).toHaveText('跳到正文');
  await expect(page.locator('select#language-select')).toHaveValue('zh-CN');
  const cookies = await page.context().cookies();
  expect(cookies.find((c) => c.name === 'lang')?.value).toBe('zh-CN');

  // It sticks for other pages.
  await page.goto('/');
  await expect(html).toHaveAttribute('lang', 'zh-CN');
  await hydrated(page);

  await page.locator('select#language-select').selectOption('en');
  await expect(html).toHaveAttribute('lang', 'en');
  await hydrated(page);
  await expect(page.locator('header a[href="/favourites"]')).toContainText('Favourites');
});

test('the theme toggle cycles system → light → dark and persists', async ({ page }) => {
  const html = page.locator('html');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await hydrated(page);
  await expect(html).toHaveAttribute('data-theme', 'system');
  const lightBackground = await background();

  const toggle = page.locator('a#theme-toggle[role="button"]');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe(lightBackground);

  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect.poll(background).not.toBe(lightBackground);
  const darkBackground = await background();

  // The server renders the chosen theme on the next load (cookie), with no flash.
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await hydrated(page);
  expect(await background()).toBe(darkBackground);
  expect((await page.context().cookies()).find((c) => c.name === 'theme')?.value).toBe('dark');

  // Back to "system": follows the operating system's preference.
  await page.locator('a#theme-toggle').click();
  await expect(html).toHaveAttribute('data-theme', 'system');
  await expect.poll(background).toBe(lightBackground);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect.poll(background).toBe(darkBackground);

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'system');
});
