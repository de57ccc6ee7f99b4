import { expect } from '@playwright/test';

// Money as the shop writes it (app::i18n::format_price_in): pounds with a comma between
// groups of three digits and two decimals, the minus before the symbol ("-£1,234.50"),
// the same in English and Simplified Chinese.

/** The first price in a text such as "Each £1,234.50", as minor units. */
export function pence(text: string | null): number {
  const m = (text ?? '').match(/(-?)£(\d{1,3}(?:,\d{3})*)\.(\d{2})/);
  expect(m, `a price in ${text}`).not.toBeNull();
  const minor = Number(m![2].replace(/,/g, '')) * 100 + Number(m![3]);
  return m![1] ? -minor : minor;
}

/** Minor units as the shop shows them: 123450 -> "£1,234.50". */
export function pounds(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}£${whole}.${String(abs % 100).padStart(2, '0')}`;
}
