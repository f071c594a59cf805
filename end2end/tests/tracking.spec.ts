// Tracking links in the browser: customer service makes a link on an order
// page (shown once), a customer who is not signed in opens it and sees that
// one order, masked, outside the staff shell; a staff note added meanwhile
// never shows there, a carrier scan does, without reload; pausing live updates
// holds the next scan until resumed; revoking the link makes the customer's
// page say it is no longer valid.
//
// The order is placed and moved through the timeline write API (an API key
// made by admin through the API), so the test does not depend on the demo's
// traffic.
import { test, expect, type APIRequestContext } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';
import { signIn } from './session';

/** A unique number for ids in this run. */
function fresh(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** Signs `request` in as admin and makes a key for the timeline write API. */
async function timelineKey(request: APIRequestContext): Promise<string> {
  const login = await request.post('/api/auth/login', {
    data: { username: 'admin', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const res = await request.post('/api/admin/api-keys/create', {
    data: { name: `e2e tracking ${fresh()}` },
  });
  expect(res.status()).toBe(200);
  return (await res.json()).key;
}

/** Appends one canonical event to `orderId` through the timeline write API. */
async function append(
  request: APIRequestContext,
  key: string,
  orderId: string,
  event: object,
  source: object = { kind: 'control_room' },
) {
  const res = await request.post(`/api/v1/orders/${orderId}/events`, {
    headers: { Authorization: `Bearer ${key}` },
    data: {
      event_id: `e2e-tracking-${fresh()}`,
      occurred_at: new Date().toISOString(),
      source,
      event,
    },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** An order with a gift box that ships later; the serum paid, packed and shipped. */
async function placeShippedOrder(
  request: APIRequestContext,
  key: string,
  orderId: string,
  waybill: string,
) {
  const cny = (minor: number) => ({ minor, currency: 'CNY' });
  await append(request, key, orderId, {
    type: 'order_placed',
    channel: 'tmall',
    channel_order_id: `tm-${orderId}`,
    customer: {
      name: '张三',
      phone: '13800138000',
      address: { country: 'CN', province: '浙江', city: '杭州', line: '西湖区文三路 99 号' },
    },
    components: [
      { id: 'serum', sku: 'E2E-SER-ROSE', name: 'Rose serum', kind: 'main', quantity: 1, unit_price: cny(12800), ships_later: false },
      { id: 'giftbox', sku: 'BOX-CAMELLIA', name: 'Camellia gift box', kind: 'gift_box', quantity: 1, unit_price: cny(0), ships_later: true },
    ],
    total: cny(12800),
  });
  await append(request, key, orderId, { type: 'payment_captured', amount: cny(12800) });
  await append(request, key, orderId, { type: 'parcel_packed', parcel: 'P1', components: ['serum'] });
  await append(request, key, orderId, {
    type: 'parcel_shipped',
    parcel: 'P1',
    carrier: 'SF Express',
    waybill,
  });
}

test('a customer follows their order through a tracking link, masked and live, until it is revoked', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const key = await timelineKey(request);
  const n = fresh();
  const orderId = `CR-E2E-TRACK-${n}`;
  const waybill = `SF${n}`;
  await placeShippedOrder(request, key, orderId, waybill);

  // Customer service makes a link on the order page.
  await signIn(page, 'cs', `/orders/${orderId}`);
  await expect(page.getByTestId('order-header')).toContainText(orderId);
  const panel = page.getByTestId('tracking-links');
  await expect(panel.getByRole('heading', { name: 'Tracking links' })).toBeVisible();
  const days = panel.getByLabel('Valid for (days)');
  await expect(days).toHaveValue('30');
  await days.fill('7');
  await panel.getByRole('button', { name: 'Create link' }).click();
  const shown = panel.getByTestId('tracking-link-shown');
  await expect(shown).toContainText('This is the only time this link is shown');
  const url = (await shown.getByTestId('shown-value').textContent())?.trim() ?? '';
  expect(url).toMatch(/^https?:\/\/[^/]+\/track\/[A-Za-z0-9_-]{43}$/);
  const token = url.split('/track/')[1];
  const row = panel.getByTestId('tracking-link-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('tracking-link-status')).toHaveText('Active');
  await expect(row).not.toContainText(token);

  // The customer opens it in a browser that has never signed in.
  const customer = await browser.newContext({ baseURL });
  const track = await customer.newPage();
  await track.goto(url);
  await expect(track.getByTestId('tracking-order-number')).toHaveText(orderId);
  await expect(track).toHaveTitle('Order tracking · Order Control Room');
  await expect(track.getByTestId('tracking-status')).toHaveText('Being prepared');
  await expect(track.getByTestId('tracking-recipient')).toHaveText('张* · 138****8000');
  await expect(track.getByText('Delivering to')).toBeVisible();
  await expect(track.getByTestId('tracking-destination')).toHaveText('杭州, 浙江');
  for (const hidden of ['张三', '13800138000', '西湖区', '128.00']) {
    await expect(track.getByText(hidden)).toHaveCount(0);
  }
  // Outside the staff shell: no navigation, nobody signed in.
  await expect(track.getByRole('navigation')).toHaveCount(0);
  await expect(track.getByTestId('current-user')).toHaveCount(0);
  // Where is the gift box? Its own answer.
  await expect(
    track.getByTestId('tracking-item').filter({ hasText: 'Camellia gift box' }),
  ).toContainText('Not packed yet (ships later)');
  const serum = track.getByTestId('tracking-item').filter({ hasText: 'Rose serum' });
  await expect(serum).toContainText('Parcel P1');
  await expect(serum).toContainText('Shipped');
  await expect(track.getByTestId('tracking-parcel')).toContainText(waybill);
  await expect(track.getByTestId('tracking-live')).toHaveText('Live', { timeout: 10_000 });
  await track.evaluate(() => ((window as any).__noReload = true));

  // Staff add a note: it stays on the staff side.
  const note = `internal note ${n}: refund risk`;
  await page.getByRole('textbox', { name: 'Add note' }).fill(note);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('timeline-entry').filter({ hasText: note })).toBeVisible();

  // The carrier scans the parcel: the customer sees it without reloading.
  await append(
    request,
    key,
    orderId,
    {
      type: 'carrier_scan',
      waybill,
      scan: 'in_transit',
      location: '杭州转运中心',
      detail: 'courier Zhao 13912345678',
    },
    { kind: 'carrier', name: 'SF Express' },
  );
  const newest = track.getByTestId('tracking-timeline').getByTestId('tracking-step').first();
  await expect(newest).toContainText(`In transit at 杭州转运中心 (waybill ${waybill})`, {
    timeout: 5_000,
  });
  await expect(serum).toContainText('In transit');
  await expect(track.getByText(note)).toHaveCount(0);
  await expect(track.getByText(/courier Zhao|13912345678/)).toHaveCount(0);
  expect(await track.evaluate(() => (window as any).__noReload)).toBe(true);

  // Pausing live updates freezes the customer's page; resuming shows what came.
  const pause = track.getByRole('button', { name: 'Pause live updates' });
  await pause.click();
  await expect(track.getByRole('button', { name: 'Resume live updates' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await append(
    request,
    key,
    orderId,
    { type: 'carrier_scan', waybill, scan: 'out_for_delivery', location: '杭州西湖', detail: '' },
    { kind: 'carrier', name: 'SF Express' },
  );
  await expect(track.getByTestId('held-events')).toHaveText('1 new update', { timeout: 5_000 });
  await expect(newest).not.toContainText('Out for delivery');
  await expect(serum).toContainText('In transit');
  await track.getByRole('button', { name: 'Resume live updates' }).click();
  await expect(newest).toContainText('Out for delivery');
  await expect(track.getByTestId('held-events')).toHaveCount(0);
  await expect(serum).toContainText('Out for delivery');

  // Revoking asks first, then acts; the open was counted once.
  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(row.getByTestId('tracking-link-status')).toHaveText('Active');
  await row.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect(row.getByTestId('tracking-link-status')).toContainText('Revoked');
  await expect(row.getByTestId('tracking-link-opened')).toContainText('Once');

  // The customer's page says so (its stream ends), and so does a reload.
  await expect(track.getByTestId('tracking-not-valid')).toBeVisible({ timeout: 15_000 });
  await track.reload();
  await expect(track.getByTestId('tracking-not-valid')).toContainText(
    'This tracking link is no longer valid',
  );
  await expect(track.getByTestId('tracking-order-number')).toHaveCount(0);
  await customer.close();
});
