// Signing in for the browser tests: through the login form (as a person does)
// or straight through the API when the test is about something else.
import { expect, type APIRequestContext, type Page } from '@playwright/test';
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

/** Password of the accounts `freshAccount` makes. */
const FRESH_PASSWORD = 'e2e-fresh-account-2026';

/** Accounts made by `freshAccount` and not yet retired. */
const made: string[] = [];

/**
 * Makes an account of its own for a test that changes the person's settings
 * (their language), so no other test's demo account is touched. Returns its
 * username.
 */
export async function freshAccount(
  request: APIRequestContext,
  roles: string[],
  tag: string,
): Promise<string> {
  const login = await request.post('/api/auth/login', {
    data: { username: 'admin', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const username = `${tag}${Date.now() % 1_000_000}`.slice(0, 32);
  const res = await request.post('/api/admin/users/create', {
    data: { user: { username, display_name: `E2E ${tag}`, roles, password: FRESH_PASSWORD } },
  });
  expect(res.status(), await res.text()).toBe(200);
  made.push((await res.json()).id);
  return username;
}

/**
 * Disables the accounts this test made (call it in `afterEach`), so the demo
 * admin is again the only enabled admin other tests expect.
 */
export async function retireFreshAccounts(request: APIRequestContext) {
  if (made.length === 0) return;
  const login = await request.post('/api/auth/login', {
    data: { username: 'admin', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  for (const id of made.splice(0)) {
    const res = await request.post('/api/admin/users/disabled', {
      data: { user_id: id, disabled: true },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
}

/** Signs a fresh account in through the login form (in whichever language
 * the page shows) and waits for the staff shell. */
export async function signInFresh(page: Page, username: string, next = '/orders') {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(FRESH_PASSWORD);
  await page.locator('form[data-testid="login-form"] button[type="submit"]').click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}
