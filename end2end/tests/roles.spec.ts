// Accounts and roles in the browser: each role sees only its navigation, a
// forbidden deep link explains itself, lenses hide what a role may not see,
// signing out leaves nothing private behind the back button, and an admin
// changes an account's roles (never the last admin's Admin role).
import { test, expect } from '@playwright/test';
import { signIn, type Account } from './session';

const INTEGRATIONS = ['Integrations', 'Mappings', 'Deliveries', 'API keys'];
const NAV: Record<Account, string[]> = {
  cs: ['Orders', 'Exceptions'],
  logistics: ['Orders', 'Exceptions', 'Warehouses'],
  finance: ['Orders', 'Exceptions'],
  admin: ['Orders', 'Exceptions', 'Warehouses', 'Users', 'Sessions', 'Audit', ...INTEGRATIONS, 'Detectors'],
};
const ALL = ['Orders', 'Exceptions', 'Warehouses', 'Users', 'Sessions', 'Audit', ...INTEGRATIONS, 'Detectors'];

for (const account of Object.keys(NAV) as Account[]) {
  test(`${account} sees only its own navigation`, async ({ page }) => {
    await signIn(page, account);
    const nav = page.getByRole('navigation');
    for (const item of ALL) {
      const link = nav.getByRole('link', { name: item, exact: true });
      if (NAV[account].includes(item)) await expect(link).toBeVisible();
      else await expect(link).toHaveCount(0);
    }
  });
}

test('the login page says it is a demo and refuses a wrong password', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByTestId('demo-banner')).toBeVisible();
  await page.getByLabel('Username').fill('cs');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/wrong username or password/i)).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test('a staff page asks for sign-in and returns there afterwards', async ({ page }) => {
  await page.goto('/orders?status=paid');
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.getByLabel('Username').fill('cs');
  await page.getByLabel('Password').fill((await import('../playwright.config')).DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/orders\?status=paid$/);
});

test('a forbidden deep link shows the refusal page', async ({ page }) => {
  await signIn(page, 'logistics', '/admin/users');
  await expect(page).toHaveURL(/\/admin\/users$/);
  const refusal = page.getByTestId('forbidden');
  await expect(refusal).toBeVisible();
  await expect(refusal.getByRole('heading', { name: 'Not available for your role' })).toBeVisible();
  await expect(page).toHaveTitle('Not available for your role · Order Control Room');
  await expect(page.getByTestId('user-row')).toHaveCount(0);
});

test('logistics sees amounts withheld and finance sees phones masked', async ({ page }) => {
  await signIn(page, 'logistics');
  const row = page.getByTestId('order-row').first();
  await expect(row).toContainText('Withheld');
  await row.getByRole('link').first().click();
  await expect(page.getByTestId('order-amount')).toContainText('Withheld');
  // Absent, never a zero: paid and every unit price read "Withheld" too.
  await expect(page.getByTestId('order-paid')).toContainText('Withheld');
  await expect(page.getByTestId('order-paid')).not.toContainText('¥');
  await expect(page.getByTestId('components-table')).toContainText('Withheld');
  await expect(page.getByTestId('components-table')).not.toContainText('¥');

  const url = page.url();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await signIn(page, 'finance', new URL(url).pathname);
  await expect(page.getByTestId('order-header')).toContainText('****');
  await expect(page.getByTestId('order-amount')).not.toContainText('Withheld');
});

test('signing out ends the session; back shows nothing private', async ({ page }) => {
  await signIn(page, 'cs');
  const row = page.getByTestId('order-row').first();
  await expect(row).toBeVisible();
  await row.getByRole('link').first().click();
  const header = page.getByTestId('order-header');
  await expect(header).toBeVisible();
  const id = (await page.url()).split('/').pop()!;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goBack();
  await expect(page.getByLabel('Password')).toBeVisible();
  await expect(page.getByTestId('order-header')).toHaveCount(0);
  await expect(page.getByTestId('timeline')).toHaveCount(0);
  await expect(page.getByText(id, { exact: true })).toHaveCount(0);
  // The session is gone on the server too.
  const res = await page.request.post('/api/orders/list', {
    data: { query: { page: 1, per_page: 5, status: null, channel: null, search: null } },
  });
  expect(res.status()).toBe(401);
});

test('an admin creates a user and finds it in the audit trail', async ({ page }) => {
  await signIn(page, 'admin', '/admin/users');
  const username = `e2e${Date.now() % 100000}`;
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Display name', { exact: true }).fill('E2E Person');
  await page.getByTestId('new-user-form').getByLabel('Finance', { exact: true }).check();
  await page.getByLabel('Initial password', { exact: true }).fill('an e2e password');
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByTestId('user-row').filter({ hasText: username })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByTestId('audit-row').filter({ hasText: username }).first()).toBeVisible();
});

test('an admin changes an account\'s roles with the keyboard, not the last admin\'s', async ({ page }) => {
  await signIn(page, 'admin', '/admin/users');
  const row = page.locator('[data-testid="user-row"][data-username="logistics"]');
  await expect(row.locator('.user-roles')).toHaveText('Logistics');
  // The disclosure and the boxes work from the keyboard.
  await row.getByText('Edit roles').focus();
  await page.keyboard.press('Enter');
  const group = row.getByRole('group', { name: 'Roles of logistics' });
  await expect(group).toBeVisible();
  await expect(group.getByRole('checkbox', { name: 'Logistics' })).toBeChecked();
  const finance = group.getByRole('checkbox', { name: 'Finance' });
  await expect(finance).not.toBeChecked();
  await finance.focus();
  await page.keyboard.press('Space');
  await expect(finance).toBeChecked();
  await row.getByRole('button', { name: 'Save roles' }).focus();
  await page.keyboard.press('Enter');
  const outcome = row.getByTestId('roles-outcome');
  await expect(outcome).toHaveText('Saved: logistics now has Logistics, Finance.');
  await expect(row.locator('.user-roles')).toHaveText('Logistics, Finance');

  // Back as it was, so the other tests find logistics as they expect.
  await finance.uncheck();
  await row.getByRole('button', { name: 'Save roles' }).click();
  await expect(outcome).toHaveText('Saved: logistics now has Logistics.');
  await expect(row.locator('.user-roles')).toHaveText('Logistics');

  // The only admin keeps the Admin role, and is told why.
  const admin = page.locator('[data-testid="user-row"][data-username="admin"]');
  await admin.getByText('Edit roles').click();
  const adminRoles = admin.getByRole('group', { name: 'Roles of admin' });
  await adminRoles.getByRole('checkbox', { name: 'Finance' }).check();
  await adminRoles.getByRole('checkbox', { name: 'Admin' }).uncheck();
  await admin.getByRole('button', { name: 'Save roles' }).click();
  await expect(admin.getByTestId('roles-outcome')).toContainText('admin is the last enabled admin account');
  await expect(admin.locator('.user-roles')).toHaveText('Admin');

  await page.getByRole('navigation').getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(
    page.getByTestId('audit-row').filter({ hasText: 'changed the roles of logistics' }).first(),
  ).toBeVisible();
});

test('every page names itself in the tab title', async ({ page }) => {
  await page.goto('/login');
  await expect(page).toHaveTitle('Sign in · Order Control Room');
  await signIn(page, 'admin');
  await expect(page).toHaveTitle('Orders · Order Control Room');
  const pages: [string, string][] = [
    ['Users', 'Users'],
    ['Sessions', 'Sessions'],
    ['Audit', 'Audit trail'],
    ['Integrations', 'Integrations'],
    ['Mappings', 'Mappings'],
    ['Deliveries', 'Deliveries'],
    ['API keys', 'API keys'],
  ];
  for (const [link, title] of pages) {
    await page.getByRole('navigation').getByRole('link', { name: link, exact: true }).click();
    await expect(page).toHaveTitle(`${title} · Order Control Room`);
  }
  await page.getByRole('navigation').getByRole('link', { name: 'Orders', exact: true }).click();
  const first = page.getByTestId('order-row').first().getByRole('link').first();
  await expect(first).toBeVisible({ timeout: 15_000 });
  const id = (await first.getAttribute('href'))!.split('/').pop()!;
  await first.click();
  await expect(page).toHaveTitle(`Order ${id} · Order Control Room`);
  await page.goto('/no/such/page');
  await expect(page).toHaveTitle('Page not found · Order Control Room');
});
