// The order timeline grouped by parcel: an order whose gift box ships later in
// its own parcel reads as one section per parcel ("where is my gift box?"),
// live entries go into their section, and the chronological list comes back.
//
// The order is created through the timeline write API (docs/timeline-api.md)
// with an API key an admin creates, so its parcels are known exactly; the
// seeded demo traffic keeps running around it (see playwright.config.ts).
import { test, expect } from '@playwright/test';
import { signInQuickly } from './session';
import { cny, createApiKey, fresh, serumAndGiftBox, timelineWriter } from './timeline-api';

const CARRIER = 'SF Express';
const WAREHOUSE = 'Shanghai Jiading DC';
const GIFT_BOX = '新年限定礼盒 New Year gift box (pre-sale)';

const channel = { kind: 'channel', name: 'tmall' };
const warehouse = { kind: 'warehouse', name: WAREHOUSE };
const carrier = { kind: 'carrier', name: CARRIER };

test('an order with a later gift box reads per parcel and back in time order', async ({
  page,
}, testInfo) => {
  await signInQuickly(page, 'admin');
  const n = fresh();
  const orderId = `CR-TL${n}`;
  const serumWaybill = `SF${n}1`;
  const boxWaybill = `SF${n}2`;
  const append = timelineWriter(
    page.request,
    await createApiKey(page, 'timeline e2e'),
    orderId,
    'timeline-e2e',
  );

  // The serum ships in P1; the gift box (pre-sale) follows in its own parcel BOX.
  await append(channel, serumAndGiftBox(n, { serum: '玫瑰精华液 Rose serum 30 ml', box: GIFT_BOX }));
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  await append(channel, { type: 'order_confirmed' });
  await append(warehouse, { type: 'warehouse_allocated', warehouse: WAREHOUSE });
  await append(warehouse, { type: 'picking_started' });
  await append(warehouse, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append(warehouse, {
    type: 'parcel_shipped',
    parcel: 'P1',
    carrier: CARRIER,
    waybill: serumWaybill,
  });
  const scan = (waybill: string, kind: string, detail: string) => ({
    type: 'carrier_scan',
    waybill,
    scan: kind,
    location: '杭州转运中心',
    detail,
  });
  await append(carrier, scan(serumWaybill, 'picked_up', '已揽收 picked up'));
  await append(warehouse, { type: 'parcel_packed', parcel: 'BOX', components: ['gift-box'] });
  await append(warehouse, {
    type: 'parcel_shipped',
    parcel: 'BOX',
    carrier: CARRIER,
    waybill: boxWaybill,
  });
  await append(carrier, scan(boxWaybill, 'in_transit', '运输中 in transit'));
  const logged = 11;

  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('order-header')).toContainText(orderId);
  await expect(page.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
  const timeline = page.getByTestId('timeline');
  const entries = timeline.getByTestId('timeline-entry');
  await expect(entries).toHaveCount(logged);

  // Chronological by default; the toggle is offered because there are parcels.
  const toggle = page.getByRole('button', { name: 'Group by parcel', exact: true });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(timeline).toHaveAttribute('data-view', 'chronological');
  await expect(timeline.getByRole('region')).toHaveCount(0);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(toggle).toBeFocused();
  await expect(timeline).toHaveAttribute('data-view', 'by-parcel');
  await expect(timeline).toHaveAttribute('role', 'log');
  await expect(timeline).toHaveAttribute('aria-live', 'polite');

  // One section for the order, then one per parcel, in that order.
  const sections = timeline.getByRole('region');
  await expect(sections).toHaveCount(3);
  await expect(sections.nth(0).getByRole('heading', { level: 3 })).toHaveText('Order');
  const serum = timeline.getByRole('region', { name: /^Parcel P1 · / });
  const giftBox = timeline.getByRole('region', { name: /^Parcel BOX · / });
  await expect(sections.nth(1)).toHaveAttribute('data-parcel', 'P1');
  await expect(sections.nth(2)).toHaveAttribute('data-parcel', 'BOX');

  // The gift box's parcel is named with its component, carrier, waybill and stage.
  const boxHeading = giftBox.getByRole('heading', { level: 3 });
  await expect(boxHeading).toContainText(`Parcel BOX · ${GIFT_BOX}`);
  await expect(giftBox.getByTestId('timeline-group-shipping')).toHaveText(
    `${CARRIER} · waybill ${boxWaybill}`,
  );
  await expect(giftBox.getByTestId('timeline-group-stage')).toHaveText('In transit');
  await expect(serum.getByRole('heading', { level: 3 })).toContainText(
    'Parcel P1 · 玫瑰精华液 Rose serum 30 ml',
  );
  await expect(serum.getByTestId('timeline-group-stage')).toHaveText('Picked up');

  // Each section holds its own entries, oldest first; together they are the whole log.
  const order = sections.nth(0);
  await expect(order.getByTestId('timeline-entry')).toHaveCount(5);
  await expect(order.locator('[data-testid="timeline-entry"][data-parcel]')).toHaveCount(0);
  await expect(serum.getByTestId('timeline-entry')).toHaveCount(3);
  const notIn = (parcel: string) => `[data-testid="timeline-entry"]:not([data-parcel="${parcel}"])`;
  await expect(serum.locator(notIn('P1'))).toHaveCount(0);
  const boxEntries = giftBox.getByTestId('timeline-entry');
  await expect(boxEntries).toHaveCount(3);
  await expect(giftBox.locator(notIn('BOX'))).toHaveCount(0);
  await expect(boxEntries.nth(0)).toHaveAttribute('data-kind', 'parcel_packed');
  await expect(boxEntries.nth(1)).toHaveAttribute('data-kind', 'parcel_shipped');
  await expect(boxEntries.nth(2)).toHaveAttribute('data-kind', 'carrier_scan');
  await expect(entries).toHaveCount(logged);

  // A live scan of the gift box goes into its section, highlighted, and moves its stage.
  await append(carrier, scan(boxWaybill, 'delivered', '已签收 signed for'));
  const delivered = giftBox.getByTestId('timeline-entry').filter({ hasText: '已签收 signed for' });
  await expect(delivered).toBeVisible();
  await expect(delivered).toHaveClass(/timeline-entry--new/);
  await expect(giftBox.getByTestId('timeline-group-stage')).toHaveText('Delivered');
  await expect(serum.getByTestId('timeline-entry')).toHaveCount(3);
  // A live note concerns the order as a whole.
  const note = `where is my gift box? ${n}`;
  await append({ kind: 'control_room' }, { type: 'note_added', text: note });
  await expect(order.getByTestId('timeline-entry').filter({ hasText: note })).toBeVisible();

  // The source filter works inside the sections too.
  const filter = page.getByRole('group', { name: 'Show events from' });
  await filter.getByRole('checkbox', { name: 'Carrier', exact: true }).uncheck();
  const carrierShown = timeline.locator(
    '[data-testid="timeline-entry"][data-family="carrier"]:visible',
  );
  await expect(carrierShown).toHaveCount(0);
  await expect(boxEntries.first()).toBeVisible();
  await filter.getByRole('checkbox', { name: 'Carrier', exact: true }).check();
  await expect(delivered).toBeVisible();

  const shot = testInfo.outputPath('timeline-by-parcel.png');
  await timeline.screenshot({ path: shot });
  await testInfo.attach('timeline grouped by parcel', { path: shot, contentType: 'image/png' });

  // Back to the one chronological list, with every entry.
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(timeline).toHaveAttribute('data-view', 'chronological');
  await expect(timeline.getByRole('region')).toHaveCount(0);
  await expect(entries).toHaveCount(logged + 2);
  await expect(entries.last()).toContainText(note);
  await expect(entries.nth(logged)).toHaveAttribute('data-parcel', 'BOX');
});
