import { test, expect, type Page } from '@playwright/test';
import { open } from './support';

// Small screens and keyboards: nothing scrolls sideways at 360 px, the skip link comes
// first, the keyboard reaches the search box, and tap targets are at least 44 px.

async function horizontalOverflow(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

// Meaningful at every width; the mobile project (360 px) is the one that catches overflow.
test.describe('layout', () => {
  for (const url of ['/', '/c/kitchen', '/search?q=christmas', '/favourites', '/track', '/no/such/page']) {
    test(`no horizontal scrolling on ${url}`, async ({ page }) => {
      await open(page, url);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    });
  }

  test('no horizontal scrolling on a product page, in Chinese too', async ({ page, context, baseURL }) => {
    await open(page, '/');
    const href = await page.locator('#best-sellers a.product-link').first().getAttribute('href');
    await open(page, href!);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await context.addCookies([{ name: 'lang', value: 'zh-CN', url: baseURL! }]);
    await open(page, '/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  test('header and pager controls are big enough to tap', async ({ page }) => {
    await open(page, '/c/kitchen');
    const targets = page.locator(
      'header a, header button, header select, header input, nav.pager a, nav.pager [aria-current], li.product-card button',
    );
    const sizes = await targets.evaluateAll((els) =>
      els
        .filter((el) => (el as HTMLElement).offsetParent !== null)
        .map((el) => {
          const r = el.getBoundingClientRect();
          return { what: el.outerHTML.slice(0, 80), width: r.width, height: r.height };
        }),
    );
    expect(sizes.length).toBeGreaterThan(5);
    const small = sizes.filter((s) => s.height < 44 || s.width < 44);
    expect(small).toEqual([]);
  });
});

test('the skip link comes first and the keyboard reaches the search box', async ({ page }) => {
  await open(page, '/');
  await page.keyboard.press('Tab');
  const skip = page.locator('a.skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toHaveAttribute('href', '#main');
  // Visible while focused, inside the viewport.
  await expect(skip).toBeInViewport();

  const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
  for (let i = 0; i < 5 && (await focusedId()) !== 'search-input'; i++) {
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('input#search-input')).toBeFocused();

  // Focus is visible: an outline is drawn.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
});

test('the skip link moves focus to the main content', async ({ page }) => {
  await open(page, '/');
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
  await expect(page.locator('main#main')).toBeFocused();
  // Hidden again once focus has left it, and the next Tab goes into the content, past the header.
  await expect(page.locator('a.skip-link')).not.toBeInViewport();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
});
