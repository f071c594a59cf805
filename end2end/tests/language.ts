// Choosing the language in a browser test: the switch's buttons are named in
// their own language, and the page is in the language once `<html lang>` says so.
import { expect, type Page } from '@playwright/test';

export const LANGUAGES = [
  { lang: 'en', button: 'English' },
  { lang: 'zh-CN', button: '中文' },
] as const;

export type Language = (typeof LANGUAGES)[number];

/** Chooses `language` with the switch and waits until the page is in it. */
export async function choose(page: Page, language: Language) {
  await page.getByRole('button', { name: language.button, exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
}

export const ENGLISH = LANGUAGES[0];
export const CHINESE = LANGUAGES[1];
