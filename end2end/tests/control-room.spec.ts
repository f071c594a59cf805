// The control room in a real browser: the live order list, an order page whose
// timeline updates without reload, deep links, and a screenshot artifact.
// The server runs with seeded demo traffic (see playwright.config.ts).
import { test, expect, type Page } from '@playwright/test';
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

test('the order list shows orders and new ones appear live', async ({ page }) => {
  await page.goto('/orders');
  await expect(page.getByRole('heading', { name: /orders/i })).toBeVisible();
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  const total = page.getByTestId('order-total');
  const before = Number((await total.textContent())?.match(/\d+/)?.[0]);
  // Mark the document: if the page reloaded, the mark would be gone.
  await page.evaluate(() => ((window as any).__noReload = true));
  await expect
    .poll(async () => Number((await total.textContent())?.match(/\d+/)?.[0]), { timeout: 15_000 })
    .toBeGreaterThan(before);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
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
  // Every shown row carries the Paid status in words (read in one go: the
  // list refetches live, but always with the same filter).
  const texts = await rows.allTextContents();
  expect(texts.length).toBeGreaterThan(0);
  for (const text of texts) expect(text).toContain('Paid');
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
