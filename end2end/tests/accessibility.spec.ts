// Every page passes axe-core (WCAG 2.2 A and AA rules, no violation) in both
// languages: the sign-in page, the order list, an order page, the warehouse
// board, every admin page, the "not available for your role" and "page not
// found" pages, and the customer's tracking page. Each page is also checked for its language
// (`<html lang>`) so the Chinese pass really is Chinese.
//
// The staff pages are visited by accounts made for this test, so switching
// their language touches no other test's account.
import { test, expect, type Page } from '@playwright/test';
import { expectAxeClean } from './axe';
import { freshAccount, retireFreshAccounts, signInFresh } from './session';
import { choose, LANGUAGES } from './language';
import { createApiKey, fresh, serumShipped, timelineWriter } from './timeline-api';

test.afterEach(async ({ request }) => retireFreshAccounts(request));

const ADMIN_PAGES = ['users', 'sessions', 'audit', 'integrations', 'mappings', 'deliveries', 'api-keys'];

/** Waits until the page has its heading and nothing is loading any more. */
async function settled(page: Page) {
  await expect(page.locator('main h1, h1').first()).toBeVisible();
  await expect(page.locator('.loading')).toHaveCount(0);
}

/** An order with a shipped parcel, a later gift box, a note and a
 * redirect request to the carrier (a phone change made by the signed-in admin). */
async function anOrder(page: Page): Promise<string> {
  const n = fresh();
  const orderId = `CR-A11Y${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'a11y e2e'), orderId, 'a11y');
  await serumShipped(append, n, `SF${n}`);
  await append({ kind: 'control_room' }, { type: 'note_added', text: '客户询问礼盒' });
  const act = await page.request.post('/api/orders/act', {
    data: {
      order_id: orderId,
      action: { type: 'change_contact', contact: { phone: '13900139000' }, reason: '客户来电改号' },
    },
  });
  expect(act.status(), await act.text()).toBe(200);
  return orderId;
}

for (const language of LANGUAGES) {
  test(`every staff page passes axe in ${language.lang}`, async ({ page, request }) => {
    // A dozen pages, each loaded and checked: more than one page's budget.
    test.setTimeout(60_000);
    const admin = await freshAccount(request, ['admin'], `a11y${language.lang.slice(0, 2)}`);
    await signInFresh(page, admin);
    await choose(page, language);
    const orderId = await anOrder(page);

    await page.goto('/orders');
    await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
    await settled(page);
    await expect(page.getByTestId('order-row').first()).toBeVisible();
    await expectAxeClean(page, `the order list (${language.lang})`);

    // What a search found: the one order's link first, how the text was read.
    await page.goto(`/orders?q=${orderId}`);
    await expect(page.getByTestId('single-match')).toBeVisible({ timeout: 15_000 });
    await expectAxeClean(page, `the order list searched (${language.lang})`);

    await page.goto(`/orders/${orderId}`);
    await expect(page.getByTestId('order-header')).toContainText(orderId);
    await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
    // Every action's form open, the requests with their outcome forms shown.
    await expect(page.getByTestId('request-row')).toHaveCount(1);
    for (const summary of await page.locator('details.desk-action > summary').all()) {
      await summary.click();
    }
    await expect(page.getByTestId('contact-form')).toBeVisible();
    await expectAxeClean(page, `an order page (${language.lang})`);

    await page.goto('/mentions');
    await settled(page);
    await expectAxeClean(page, `the mentions inbox (${language.lang})`);

    await page.goto('/warehouses');
    await settled(page);
    await expect(page.getByTestId('warehouse-row').first()).toBeVisible();
    await expectAxeClean(page, `the warehouse board (${language.lang})`);

    for (const admin of ADMIN_PAGES) {
      await page.goto(`/admin/${admin}`);
      await settled(page);
      await expectAxeClean(page, `/admin/${admin} (${language.lang})`);
    }

    await page.goto('/no-such-page');
    await expect(page.getByTestId('not-found')).toBeVisible();
    await expectAxeClean(page, `the not-found page (${language.lang})`);
  });

  test(`sign-in, "not for your role" and the tracking page pass axe in ${language.lang}`, async ({
    page,
    browser,
    baseURL,
    request,
  }) => {
    // Signed out: the sign-in page, in the language chosen there.
    await page.goto('/login');
    await choose(page, language);
    await settled(page);
    await expectAxeClean(page, `the sign-in page (${language.lang})`);

    // A logistics account on an admin page.
    const logistics = await freshAccount(request, ['logistics'], `a11yl${language.lang.slice(0, 2)}`);
    await signInFresh(page, logistics, '/admin/users');
    await choose(page, language);
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await expectAxeClean(page, `the forbidden page (${language.lang})`);

    // The customer's tracking page, in a browser that never signed in.
    const admin = await freshAccount(request, ['admin'], `a11yt${language.lang.slice(0, 2)}`);
    const staff = await browser.newContext({ baseURL });
    const staffPage = await staff.newPage();
    await signInFresh(staffPage, admin);
    const orderId = await anOrder(staffPage);
    const link = await staffPage.request.post('/api/orders/tracking-links/create', {
      data: { order_id: orderId, expires_in_days: 7 },
    });
    expect(link.status(), await link.text()).toBe(200);
    const url: string = (await link.json()).url;
    await staff.close();

    const customer = await browser.newContext({ baseURL });
    const track = await customer.newPage();
    await track.goto(url);
    await expect(track.getByTestId('tracking-order-number')).toHaveText(orderId);
    await choose(track, language);
    await expectAxeClean(track, `the tracking page (${language.lang})`);
    await customer.close();
  });
}

test('keyboard only: the skip link, the language switch and every shell control, focus always visible', async ({
  page,
  request,
}) => {
  const admin = await freshAccount(request, ['admin'], 'a11yk');
  await signInFresh(page, admin);
  await page.goto('/orders');
  await settled(page);

  // The first Tab reaches the skip link, shown when focused; Enter moves to the content.
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();

  // Tabbing from the top walks the shell and on into the page (no trap), and
  // every stop shows a focus ring.
  await skip.focus();
  const stops: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      return `${ring ? 'ring' : 'NO RING'}: ${el.tagName} ${el.textContent?.trim().slice(0, 30) ?? ''}`;
    });
    if (stop) stops.push(stop);
  }
  expect(stops.filter((s) => s.startsWith('NO RING')), stops.join('\n')).toEqual([]);
  expect(stops.some((s) => s.includes('中文')), stops.join('\n')).toBe(true);
  expect(stops.some((s) => s.includes('Sign out')), stops.join('\n')).toBe(true);
  expect(stops.some((s) => s.includes('Search')), stops.join('\n')).toBe(true);

  // The language switch works from the keyboard.
  await page.getByRole('button', { name: '中文', exact: true }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('button', { name: '中文', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});
