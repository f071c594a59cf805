// Signing in for the browser tests: through the login form (as a person does)
// or straight through the API when the test is about something else.
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';

export type Account = 'cs' | 'logistics' | 'finance' | 'admin';

/** Signs in through the login form and waits for the staff shell. */
export async function signIn(page: Page, account: Account, next = '/orders') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Username').fill(account);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** Signs the page's browser context in through the API (shares its cookies). */
export async function signInQuickly(page: Page, account: Account) {
  const res = await page.request.post('/api/auth/login', {
    data: { username: account, password: DEMO_PASSWORD },
  });
  expect(res.status()).toBe(200);
}
