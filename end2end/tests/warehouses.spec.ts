// The warehouse load board: a warehouse's backlog grows live when an order is
// allocated to it (through the timeline write API, while the demo traffic
// runs around it), and shrinks as the order ships, without a reload; the
// level is said in words; the page passes axe in both languages with every
// disclosure open and the admin forms shown.
import { test, expect, type Page } from '@playwright/test';
import { expectAxeClean } from './axe';
import { choose, LANGUAGES } from './language';
import { freshAccount, retireFreshAccounts, signIn, signInFresh } from './session';
import { cny, createApiKey, fresh, timelineWriter } from './timeline-api';

test.afterEach(async ({ request }) => retireFreshAccounts(request));

/** Adds a warehouse of its own for this test (as the signed-in admin). */
async function addWarehouse(page: Page, name: string, capacity: number) {
  const res = await page.request.post('/api/warehouses/save', {
    data: { draft: { name, province: '浙江', daily_capacity: capacity, carriers: ['SF Express'] } },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** A paid, confirmed order allocated to `warehouse`, written event by event. */
async function allocate(append: ReturnType<typeof timelineWriter>, n: number, warehouse: string) {
  await append(
    { kind: 'channel', name: 'tmall' },
    {
      type: 'order_placed',
      channel: 'tmall',
      channel_order_id: `5${n}`,
      customer: {
        name: '王芳',
        phone: '13800138000',
        address: { country: 'CN', province: '浙江', city: '杭州', line: '西湖区 文三路 259 号' },
      },
      components: [
        {
          id: 'item-1',
          sku: 'E2E-TEA-LJ',
          name: '明前龙井',
          kind: 'main',
          quantity: 1,
          unit_price: cny(19800),
          ships_later: false,
        },
      ],
      total: cny(19800),
    },
  );
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(19800) });
  await append({ kind: 'channel', name: 'tmall' }, { type: 'order_confirmed' });
  await append({ kind: 'warehouse', name: warehouse }, { type: 'warehouse_allocated', warehouse });
}

test('a warehouse’s backlog grows live when an order is allocated, and falls when it ships', async ({
  page,
}) => {
  await signIn(page, 'admin', '/warehouses');
  const n = fresh();
  const name = `E2E DC ${n}`;
  await addWarehouse(page, name, 1);
  const key = await createApiKey(page, 'warehouses e2e');

  await page.goto('/warehouses');
  const row = page.locator(`[data-testid="warehouse-row"][data-name="${name}"]`);
  await expect(row.getByTestId('backlog')).toHaveText('0');
  await expect(row.getByTestId('load-level')).toHaveText('Normal');
  await expect(row.getByTestId('oldest')).toHaveText('None waiting');

  const orderId = `CR-WH${n}`;
  const append = timelineWriter(page.request, key, orderId, 'wh');
  await allocate(append, n, name);
  // Live: no reload. One waiting, a capacity of one a day: near capacity.
  await expect(row.getByTestId('backlog')).toHaveText('1', { timeout: 10_000 });
  await expect(row.getByTestId('saturation')).toHaveText('100%');
  await expect(row.getByTestId('load-level')).toHaveText('Near capacity');
  await expect(row.getByTestId('oldest')).toContainText(orderId);

  // A second order puts it over capacity, said in words.
  const second = `CR-WH${n}B`;
  await allocate(timelineWriter(page.request, key, second, 'wh2'), n + 1, name);
  await expect(row.getByTestId('backlog')).toHaveText('2', { timeout: 10_000 });
  await expect(row.getByTestId('load-level')).toHaveText('Over capacity');

  // The first ships: one left, one shipped today.
  const warehouse = { kind: 'warehouse', name };
  await append(warehouse, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append(warehouse, { type: 'parcel_shipped', parcel: 'P1', carrier: 'SF Express', waybill: `SF${n}` });
  await expect(row.getByTestId('backlog')).toHaveText('1', { timeout: 10_000 });
  await expect(row.getByTestId('shipped-today')).toHaveText('1 of 1');
  await expect(row.getByTestId('oldest')).toContainText(second);

  // Paused, the board holds still (the events are counted); resumed, it catches up.
  await page.getByTestId('pause-live').click();
  await allocate(timelineWriter(page.request, key, `CR-WH${n}C`, 'wh3'), n + 2, name);
  await expect(page.getByTestId('held-events')).toBeVisible({ timeout: 10_000 });
  await expect(row.getByTestId('backlog')).toHaveText('1');
  await page.getByTestId('pause-live').click();
  await expect(row.getByTestId('backlog')).toHaveText('2', { timeout: 10_000 });

  // Stock for it comes in as CSV; a bad line is named and nothing is written.
  const importForm = page.getByTestId('stock-import-form');
  await importForm.getByLabel('Or paste the CSV text').fill(`warehouse,sku,quantity\n${name},E2E-TEA-LJ,40\n`);
  await importForm.getByRole('button', { name: 'Import stock' }).click();
  await expect(page.getByTestId('stock-imported')).toHaveText('Imported 1 stock lines.');
  const stock = page.locator(`[data-testid="warehouse-detail"][data-name="${name}"] details.warehouse-stock`);
  await stock.locator('summary').click();
  await expect(stock.getByRole('row', { name: 'E2E-TEA-LJ 40' })).toBeVisible();
  await importForm.getByLabel('Or paste the CSV text').fill(`warehouse,sku,quantity\n${name},E2E-TEA-LJ,many\n`);
  await importForm.getByRole('button', { name: 'Import stock' }).click();
  await expect(page.getByTestId('stock-refused')).toContainText('Nothing was imported. Line 2:');

  // The chart is one image with its figures in words.
  const detail = page.locator(`[data-testid="warehouse-detail"][data-name="${name}"]`);
  await expect(detail.getByRole('img')).toHaveAttribute('aria-label', new RegExp(`${name}: .*1 in all`));
});

for (const language of LANGUAGES) {
  test(`the warehouse board passes axe in ${language.lang}`, async ({ page, request }) => {
    const admin = await freshAccount(request, ['admin'], `wh${language.lang.slice(0, 2)}`);
    await signInFresh(page, admin, '/warehouses');
    await choose(page, language);
    await expect(page.locator('html')).toHaveAttribute('lang', language.lang);
    await expect(page.getByTestId('warehouse-row').first()).toBeVisible();
    await expect(page.locator('.loading')).toHaveCount(0);
    for (const summary of await page.locator('details > summary').all()) {
      await summary.click();
    }
    await expect(page.locator('details.warehouse-stock .loading')).toHaveCount(0);
    await expectAxeClean(page, `the warehouse board (${language.lang})`);

    // The levels are words of the page's language.
    const words =
      language.lang === 'en' ? ['Normal', 'Near capacity', 'Over capacity'] : ['正常', '接近产能', '超出产能'];
    const levels = await page.getByTestId('load-level').allTextContents();
    expect(levels.length).toBeGreaterThan(0);
    for (const level of levels) expect(words).toContain(level.trim());
  });
}

test('a logistics user sees the board and no admin forms; finance is told it is not for the role', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, 'logistics', '/warehouses');
  await expect(page.getByTestId('warehouse-row').first()).toBeVisible();
  await expect(page.getByTestId('warehouse-form')).toHaveCount(0);
  await expect(page.getByTestId('stock-import-form')).toHaveCount(0);

  const other = await browser.newContext({ baseURL });
  const finance = await other.newPage();
  await signIn(finance, 'finance', '/warehouses');
  await expect(finance.getByTestId('forbidden')).toBeVisible();
  await other.close();
});
