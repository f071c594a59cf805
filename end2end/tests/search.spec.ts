// "Find anything from what the customer gives you": an agent pastes into the
// order list's one search box the phone's last four digits with the name, a
// waybill, and a 19-digit Douyin order id (above 2^53: every digit must
// survive), and each time reaches the order from the link the answer puts
// first, with the field it matched said in words. Finance is told that
// phones are not looked up for their role.
import { test, expect, type Page } from '@playwright/test';
import { signInQuickly } from './session';
import { cny, createApiKey, fresh, timelineWriter } from './timeline-api';

/** A Douyin order of this test's own customer, paid, packed and shipped by SF. */
async function douyinOrder(page: Page) {
  const n = fresh();
  const digits = String(n).padStart(16, '0').slice(-16);
  const order = {
    id: `CR-SRCH${n}`,
    // 19 digits, above 2^53 (9007199254740992): a float would change the last ones.
    douyinId: `692${digits}`,
    waybill: `SF${digits.slice(-13)}`,
    phone: `166${digits.slice(-8)}`,
    name: '欧阳晓晴',
  };
  await signInQuickly(page, 'admin');
  const append = timelineWriter(page.request, await createApiKey(page, 'search e2e'), order.id, 'search');
  const channel = { kind: 'channel', name: 'douyin' };
  const warehouse = { kind: 'warehouse', name: 'Hangzhou DC' };
  await append(channel, {
    type: 'order_placed',
    channel: 'douyin',
    channel_order_id: order.douyinId,
    customer: {
      name: order.name,
      phone: order.phone,
      address: { country: 'CN', province: '浙江', city: '杭州', line: '西湖区 文三路 259 号' },
    },
    components: [
      {
        id: 'item-1',
        sku: 'E2E-SER-ROSE',
        name: '玫瑰精华液',
        kind: 'main',
        quantity: 1,
        unit_price: cny(26800),
        ships_later: false,
      },
    ],
    total: cny(26800),
  });
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  await append(warehouse, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append(warehouse, {
    type: 'parcel_shipped',
    parcel: 'P1',
    carrier: 'SF Express',
    waybill: order.waybill,
  });
  return order;
}

/** Pastes `text` into the search box and submits it from the keyboard. */
async function paste(page: Page, text: string) {
  const box = page.getByLabel('Find an order');
  await box.fill(text);
  await box.press('Enter');
}

test('an agent reaches the order from a phone tail and name, a waybill and a 19-digit Douyin id', async ({
  page,
}, testInfo) => {
  const order = await douyinOrder(page);
  await signInQuickly(page, 'cs');
  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  const box = page.getByLabel('Find an order');
  await expect(box).toHaveAttribute('placeholder', /waybill, phone, last 4 digits \+ name/);
  await expect(page.locator('#search-hint')).toContainText('a waybill, a phone number');

  const tail = order.phone.slice(-4);
  const searches = [
    {
      text: `${tail} ${order.name}`,
      readAs: `Looked up as the phone's last 4 digits ${tail} with the name “${order.name}”.`,
      field: "the phone's last 4 digits and the name",
    },
    {
      text: order.waybill,
      readAs: `Looked up as a waybill or an order number “${order.waybill}”.`,
      field: 'the waybill',
    },
    {
      text: order.douyinId,
      readAs: `Looked up as a channel's order number or a waybill “${order.douyinId}”.`,
      field: "the channel's order number",
    },
  ];
  for (const [i, search] of searches.entries()) {
    await page.goto('/orders');
    await paste(page, search.text);
    await expect(page).toHaveURL(/\/orders\?q=/);
    await expect(page.getByTestId('search-read-as')).toHaveText(search.readAs);
    await expect(page.getByTestId('order-total')).toContainText('1 order found');
    const row = page.getByTestId('order-row');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-order-id', order.id);
    await expect(row.getByTestId('row-match')).toHaveText(`Found by ${search.field}`);
    // The one order found: its link comes first, and nothing navigates by itself.
    const link = page.getByTestId('single-match');
    await expect(link).toHaveText(`Open order ${order.id}, found by ${search.field}`);
    await expect(page).toHaveURL(/\/orders\?q=/);
    if (i === 0) {
      const shot = testInfo.outputPath('search-phone-tail-and-name.png');
      await page.screenshot({ path: shot, fullPage: true });
      await testInfo.attach('found by phone tail and name', { path: shot, contentType: 'image/png' });
    }
    // From the keyboard.
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/orders/${order.id}$`));
    await expect(page.getByTestId('order-header')).toContainText(order.id);
  }
  // The Douyin id on the order page, every digit.
  await expect(page.getByTestId('order-header')).toContainText(order.douyinId);
});

test('finance is told that phones are not looked up for their role', async ({ page }) => {
  const order = await douyinOrder(page);
  await signInQuickly(page, 'finance');
  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  await paste(page, `${order.phone.slice(-4)} ${order.name}`);
  await expect(page.getByTestId('search-ignored')).toHaveText(
    'Your role does not see phone numbers, so nothing was looked up by phone or by its last 4 digits.',
  );
  await expect(page.getByTestId('order-total')).toContainText('No order found');
  await expect(page.getByTestId('no-orders')).toContainText('Nothing matches what was pasted');
  await expect(page.getByTestId('order-row')).toHaveCount(0);
  // The name alone, which finance sees, finds the order.
  await paste(page, order.name);
  await expect(page.locator(`[data-testid="order-row"][data-order-id="${order.id}"]`)).toBeVisible();
  await expect(page.getByTestId('search-ignored')).toHaveCount(0);
});
