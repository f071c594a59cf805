// The control room in a real browser: the live order list (rows change in
// place, new orders are counted until "show"), an order page whose
// timeline updates without reload, deep links, and a screenshot artifact.
// The server runs with seeded demo traffic (see playwright.config.ts).
import { test, expect, type Page } from '@playwright/test';
import { cny } from './timeline-api';
import { signInQuickly } from './session';

test.beforeEach(async ({ page }) => {
  await signInQuickly(page, 'cs');
});

/** Opens the list and returns the id of the first order shown. */
async function firstOrderId(page: Page): Promise<string> {
  await page.goto('/orders');
  const row = page.getByTestId('order-row').first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  const link = row.getByRole('link').first();
  const href = await link.getAttribute('href');
  expect(href).toMatch(/^\/orders\/CR-/);
  return href!.split('/').pop()!;
}

test('the order list shows orders and counts new ones live without a reload', async ({ page }) => {
  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: /orders/i })).toBeVisible();
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  // Mark the document: if the page reloaded, the mark would be gone.
  await page.evaluate(() => ((window as any).__noReload = true));
  // Demo traffic places orders: they are counted, not slid in under the pointer.
  await expect(page.getByRole('button', { name: /^\d+ new orders? — show$/ })).toBeVisible({
    timeout: 15_000,
  });
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

/** A unique number for ids in this run. */
function fresh(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** Signs in as admin, creates an API key and returns a writer of canonical
 * events through the timeline write API (docs/timeline-api.md). */
async function timelineWriter(page: Page) {
  await signInQuickly(page, 'admin');
  const res = await page.request.post('/api/admin/api-keys/create', {
    data: { name: `list e2e ${fresh()}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  const key: string = (await res.json()).key;
  return async (orderId: string, event: object) => {
    const res = await page.request.post(`/api/v1/orders/${orderId}/events`, {
      headers: { Authorization: `Bearer ${key}` },
      data: {
        event_id: `list-e2e-${fresh()}`,
        occurred_at: new Date().toISOString(),
        source: { kind: 'channel', name: 'tmall' },
        event,
      },
    });
    expect(res.status(), await res.text()).toBe(200);
    expect((await res.json()).status).toBe('accepted');
  };
}


/** A mobile number of this test's own (demo buyers draw theirs at random). */
function phoneOf(n: number): string {
  return `166${String(n).slice(-8)}`;
}

function placedEvent(n: number, phone = '13800138000') {
  return {
    type: 'order_placed',
    channel: 'tmall',
    channel_order_id: `9${n}`,
    customer: {
      name: '李娜',
      phone,
      address: { country: 'CN', province: '浙江', city: '杭州', line: '西湖区 文三路 259 号' },
    },
    components: [
      {
        id: 'item-1',
        sku: 'E2E-SER-ROSE',
        name: '玫瑰精华液 Rose serum 30 ml',
        kind: 'main',
        quantity: 1,
        unit_price: cny(26800),
        ships_later: false,
      },
    ],
    total: cny(26800),
  };
}

/** Counts the order list requests the page makes from now on. */
function countListRequests(page: Page): () => number {
  let count = 0;
  page.on('request', (r) => {
    if (r.url().endsWith('/api/orders/list')) count += 1;
  });
  return () => count;
}

test('a new order arriving is counted as "1 new order — show" and shown when pressed', async ({
  page,
}) => {
  const append = await timelineWriter(page);
  const n = fresh();
  const [first, second] = [`CR-LS${n}A`, `CR-LS${n}B`];
  const phone = phoneOf(n);
  await append(first, placedEvent(n, phone));
  // Only this test's customer's orders match the search; demo traffic runs around them.
  await page.goto(`/orders?q=${phone}`);
  const rows = page.getByTestId('order-row');
  await expect(rows).toHaveCount(1, { timeout: 15_000 });
  await page.evaluate(() => ((window as any).__noReload = true));
  const listRequests = countListRequests(page);

  await append(second, placedEvent(n + 1, phone));
  const news = page.getByRole('status').getByRole('button', { name: '1 new order — show' });
  await expect(news).toBeVisible();
  await expect(page.getByTestId('list-news')).toHaveAttribute('aria-live', 'polite');
  // The rows held still, and nothing was fetched for the event.
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-order-id', first);
  expect(listRequests()).toBe(0);

  await news.click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toHaveAttribute('data-order-id', second);
  await expect(rows.nth(1)).toHaveAttribute('data-order-id', first);
  await expect(page.getByTestId('list-news').getByRole('button')).toHaveCount(0);
  expect(listRequests()).toBe(1);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('an event for a visible order updates its row in place', async ({ page }) => {
  const append = await timelineWriter(page);
  const n = fresh();
  const [older, newer] = [`CR-LU${n}A`, `CR-LU${n}B`];
  const phone = phoneOf(n);
  await append(older, placedEvent(n, phone));
  await append(newer, placedEvent(n + 1, phone));
  await page.goto(`/orders?q=${phone}`);
  const rows = page.getByTestId('order-row');
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  const row = rows.filter({ has: page.getByRole('link', { name: older }) });
  await expect(row).toContainText('Placed');
  await expect(page.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
  const listRequests = countListRequests(page);

  await append(older, { type: 'payment_captured', amount: cny(26800) });
  await expect(row).toContainText('Paid');
  await append(older, { type: 'order_confirmed' });
  await expect(row).toContainText('Confirmed');
  // Same place, same rows, no refetch, nothing to show.
  await expect(rows.nth(1)).toHaveAttribute('data-order-id', older);
  await expect(rows.first()).toHaveAttribute('data-order-id', newer);
  await expect(page.getByTestId('list-news').getByRole('button')).toHaveCount(0);
  expect(listRequests()).toBe(0);
});

test('an event appended through the server shows in the open timeline within 2 s', async ({
  page,
}, testInfo) => {
  const id = await firstOrderId(page);
  await page.getByTestId('order-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/orders/${id}$`));
  await expect(page.getByTestId('order-header')).toContainText(id);
  await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
  await page.evaluate(() => ((window as any).__noReload = true));

  const text = `e2e note ${Date.now()}`;
  const res = await page.request.post('/api/orders/note', { data: { order_id: id, text } });
  expect(res.status()).toBe(200);

  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('aria-live', 'polite');
  await expect(timeline.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible({
    timeout: 2_000,
  });
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  const shot = testInfo.outputPath('order-page.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('order page', { path: shot, contentType: 'image/png' });
});

test('a deep link to an order loads directly', async ({ page, context }) => {
  const id = await firstOrderId(page);
  const fresh = await context.newPage();
  const response = await fresh.goto(`/orders/${id}`);
  expect(response?.status()).toBe(200);
  await expect(fresh.getByTestId('order-header')).toContainText(id);
  await expect(fresh.getByTestId('order-status')).not.toBeEmpty();
  await expect(fresh.getByTestId('timeline-entry').first()).toBeVisible();
  await fresh.close();
});

test('an unknown order shows a clear error, not a blank page', async ({ page }) => {
  await page.goto('/orders/CR-DOESNOTEXIST');
  await expect(page.getByText(/CR-DOESNOTEXIST was not found/)).toBeVisible();
});

test('the list filters by status from the URL', async ({ page }) => {
  await page.goto('/orders?status=paid');
  const rows = page.getByTestId('order-row');
  await expect(page.getByLabel(/status/i)).toHaveValue('paid');
  await expect(rows.first()).toBeVisible({ timeout: 15_000 });
  // Every shown row carries the Paid status in words, except rows that moved
  // on live since: they stay in place and are counted as no longer matching
  // (read after the rows, so every row changed by then is counted).
  const texts = await rows.allTextContents();
  const news = (await page.getByTestId('list-news').textContent()) ?? '';
  const gone = Number(news.match(/(\d+) (?:orders? )?no longer/)?.[1] ?? 0);
  expect(texts.length).toBeGreaterThan(0);
  expect(texts.filter((text) => !text.includes('Paid')).length).toBeLessThanOrEqual(gone);
});

test('the order list loads compressed on first visit, and hashed files are kept for good', async ({
  page,
}, testInfo) => {
  // Signed in through the API only: this context has fetched nothing yet.
  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  const entries = await page.evaluate(() =>
    [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].map(
      (e) => {
        const r = e as PerformanceResourceTiming;
        return { name: r.name, transfer: r.transferSize, encoded: r.encodedBodySize, decoded: r.decodedBodySize };
      },
    ),
  );
  const wasm = entries.find((e) => e.name.endsWith('_bg.wasm'));
  expect(wasm, 'the app was fetched').toBeTruthy();
  expect(wasm!.encoded, 'the wasm travels compressed').toBeLessThan(wasm!.decoded / 2);
  const total = entries.reduce((sum, e) => sum + e.transfer, 0);
  testInfo.annotations.push({
    type: 'first load',
    description: `${entries.length} requests, ${total} bytes transferred`,
  });
  console.log(`order list, first load: ${entries.length} requests, ${total} bytes transferred`);

  const again = await page.request.get(new URL(wasm!.name).pathname, {
    headers: { 'accept-encoding': 'br' },
  });
  expect(again.headers()['content-encoding']).toBe('br');
  expect(again.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const shell = await page.request.get('/orders', { headers: { 'accept-encoding': 'br' } });
  expect(shell.headers()['cache-control']).toBe('no-store');
});

test('the list pages by key: first, previous, next and last, with "page N of M"', async ({ page }) => {
  test.setTimeout(90_000);
  const pager = page.getByTestId('pager');
  const position = page.getByTestId('page-position');
  const rows = page.getByTestId('order-row');
  // Demo traffic places about two orders a second: wait for a third page, so
  // the second is neither the first nor the last.
  await expect(async () => {
    await page.goto('/orders');
    await expect(position).toHaveText(/^Page 1 of ([3-9]|\d\d+)$/, { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(pager.getByText('First')).toHaveAttribute('aria-disabled', 'true');
  await expect(pager.getByText('Previous')).toHaveAttribute('aria-disabled', 'true');
  const firstPage = await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-order-id')));
  expect(firstPage).toHaveLength(25);

  // Next, from the keyboard: the orders after the last one shown.
  const next = pager.getByRole('link', { name: 'Next' });
  await next.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/[?&]page=2&after=\d+\.CR-/);
  await expect(position).toHaveText(/^Page 2 of \d+$/);
  await expect(rows.first()).toBeVisible();
  const secondPage = await rows.evaluateAll((r) => r.map((e) => e.getAttribute('data-order-id')));
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
  await expect(pager.getByRole('link', { name: 'Previous' })).toBeVisible();

  // Last: no page after it.
  await pager.getByRole('link', { name: 'Last' }).click();
  await expect(page).toHaveURL(/[?&]at=last/);
  const [, shown, of] = (await position.textContent())!.match(/^Page (\d+) of (\d+)$/)!;
  expect(shown).toBe(of);
  await expect(pager.getByText('Next')).toHaveAttribute('aria-disabled', 'true');
  await expect(pager.getByText('Last')).toHaveAttribute('aria-disabled', 'true');

  // First: back to the newest orders.
  await pager.getByRole('link', { name: 'First' }).click();
  await expect(position).toHaveText(/^Page 1 of \d+$/);
  await expect(page).not.toHaveURL(/after=|before=|at=last/);
});
