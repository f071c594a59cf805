// Routing that explains itself. Two warehouses of this test's own hold the
// order's SKU, both two regions from the buyer: a tie the router will not
// decide alone. The order page shows the proposal, its factors and why the
// runner-up lost; logistics ships from the other warehouse with a reason,
// and the timeline shows the proposal, the override and who made it.
import { test, expect } from '@playwright/test';
import { signIn } from './session';
import { choose, ENGLISH } from './language';
import { cny, createApiKey, fresh, timelineWriter } from './timeline-api';

test('a low-confidence route is overridden with a reason, and the timeline tells who', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, 'admin', '/warehouses');
  const n = fresh();
  const sku = `E2E-ROUTE-${n}`;
  const [first, second] = [`E2E A ${n}`, `E2E B ${n}`];
  for (const [name, province] of [[first, '广东'], [second, '四川']]) {
    const res = await page.request.post('/api/warehouses/save', {
      data: { draft: { name, province, daily_capacity: 1000, carriers: ['ZTO Express'] } },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
  const stock = await page.request.post('/api/warehouses/stock.csv', {
    headers: { 'Content-Type': 'text/csv' },
    data: `warehouse,sku,quantity\n${first},${sku},12\n${second},${sku},12\n`,
  });
  expect(stock.status(), await stock.text()).toBe(200);

  const orderId = `CR-RT${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'routing e2e'), orderId, 'route');
  await append({ kind: 'channel', name: 'tmall' }, {
    type: 'order_placed',
    channel: 'tmall',
    channel_order_id: `7${n}`,
    customer: {
      name: '陈静',
      phone: `137${String(n).slice(-8)}`,
      address: { country: 'CN', province: '上海', city: '上海', line: '徐汇区 漕溪北路 88 号' },
    },
    components: [
      { id: 'item-1', sku, name: '山茶花面霜', kind: 'main', quantity: 1, unit_price: cny(32900), ships_later: false },
    ],
    total: cny(32900),
  });
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(32900) });

  const logistics = await browser.newContext({ baseURL });
  const theirs = await logistics.newPage();
  await signIn(theirs, 'logistics', `/orders/${orderId}`);
  await choose(theirs, ENGLISH);
  const panel = theirs.getByTestId('order-route');
  await expect(panel.getByTestId('route-decision')).toContainText(
    `Router proposed ${first} (confidence 50%, below 85%, rules v1); waits for a person`,
    { timeout: 10_000 },
  );
  await expect(panel.getByTestId('route-factors')).toContainText(
    `${first}: stock 12, saturation 0%, 3 days to 上海, ZTO Express ¥8.00`,
  );
  await expect(panel.getByTestId('route-factors')).toContainText(`${second} lost: an equal score, decided by name`);

  // Ship from the other one instead, with a reason, from the keyboard.
  await panel.getByLabel('Ship from instead').selectOption(second);
  const reason = panel.getByLabel('Reason');
  await reason.fill('Chengdu has ZTO pickup capacity today');
  await reason.press('Enter');
  await expect(panel.getByTestId('route-choice')).toHaveText(/chose .* instead\./, { timeout: 10_000 });
  await expect(panel.getByTestId('route-choice')).toContainText(second);

  const entry = (kind: string) => theirs.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`);
  await expect(entry('route_proposed')).toContainText(`Router proposed ${first}`);
  await expect(entry('route_proposed')).toContainText('router (automatic)');
  await expect(entry('route_overridden')).toContainText(
    `Route overridden: ${second} instead of the proposal — Chengdu has ZTO pickup capacity today`,
  );
  await expect(entry('route_overridden')).toContainText('(Logistics)');
  await expect(entry('warehouse_allocated')).toContainText(second);
  await logistics.close();
});
