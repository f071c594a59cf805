// Exceptions where people look: a carrier's failed delivery posted through the
// timeline write API makes the order's list row say so in words (filtered and
// counted), the order header's status and open exceptions agree, the parcel
// shows the reason, and shipping progress reads honestly ("Partially shipped ·
// gift box pending"). A later progress scan clears it everywhere, live.
//
// The order is created through the timeline API with an API key an admin
// creates; the seeded demo traffic keeps running around it.
import { test, expect } from '@playwright/test';
import { signInQuickly } from './session';
import { cny, createApiKey, fresh, serumAndGiftBox, timelineWriter } from './timeline-api';

const HUB = '杭州转运中心';

const channel = { kind: 'channel', name: 'tmall' };
const warehouse = { kind: 'warehouse', name: 'Shanghai' };
const carrier = { kind: 'carrier', name: 'SF Express' };

test('an open exception shows in its list row, the header and the parcel, and clears live', async ({
  page,
}, testInfo) => {
  await signInQuickly(page, 'admin');
  const n = fresh();
  const orderId = `CR-EX${n}`;
  const waybill = `SF${n}`;
  const append = timelineWriter(
    page.request,
    await createApiKey(page, 'exceptions e2e'),
    orderId,
    'exceptions-e2e',
  );

  // The serum ships in P1; the gift box (pre-sale) is not packed yet.
  await append(channel, serumAndGiftBox(n, { serum: 'Rose serum 30 ml', box: 'New Year gift box' }));
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  await append(warehouse, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append(warehouse, { type: 'parcel_shipped', parcel: 'P1', carrier: 'SF Express', waybill });
  const scan = (kind: string, detail: string) => ({
    type: 'carrier_scan',
    waybill,
    scan: kind,
    location: HUB,
    detail,
  });
  await append(carrier, scan('exception', 'recipient unreachable'));

  // The list, filtered to open exceptions from the URL and searched for this order.
  await page.goto(`/orders?exceptions=open&q=${orderId}`);
  await expect(page.getByTestId('filter-exceptions')).toBeChecked();
  const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.getByTestId('row-exception')).toHaveText(
    'Open exception: Delivery failed (parcel P1)',
  );
  await expect(row.getByTestId('row-progress')).toHaveText('Partially shipped · gift box pending');
  await expect(page.getByTestId('exception-count')).toHaveText('1 with open exceptions');
  const listShot = testInfo.outputPath('list-with-exception.png');
  await page.screenshot({ path: listShot });
  await testInfo.attach('list row with an open exception', {
    path: listShot,
    contentType: 'image/png',
  });

  // The order page: status and open exceptions read the same list.
  await row.getByRole('link').first().click();
  await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
  const header = page.getByTestId('order-header');
  await expect(page.getByTestId('order-status')).toHaveText(/Delivery exception/);
  await expect(header.getByTestId('open-exception')).toContainText(
    `Delivery failed on parcel P1: recipient unreachable (at ${HUB})`,
  );
  await expect(header.getByTestId('order-progress')).toHaveText(
    'Partially shipped · gift box pending',
  );
  const parcel = page.locator('[data-testid="parcel-row"][data-parcel-id="P1"]');
  await expect(parcel.getByTestId('parcel-exception')).toContainText('recipient unreachable');
  const shot = testInfo.outputPath('order-with-exception.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('order with an open exception', { path: shot, contentType: 'image/png' });

  // A later progress scan clears it; the open page follows without a reload.
  await append(carrier, scan('out_for_delivery', '派送中 out for delivery'));
  await expect(page.getByTestId('order-status')).not.toHaveText(/Delivery exception/, {
    timeout: 5_000,
  });
  await expect(header.getByTestId('order-exceptions')).toContainText('None');
  await expect(header.getByTestId('open-exception')).toHaveCount(0);
  await expect(parcel.getByTestId('parcel-exception')).toHaveCount(0);

  // And the filtered list no longer has it.
  await page.goto(`/orders?exceptions=open&q=${orderId}`);
  await expect(page.getByTestId('no-orders')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('exception-count')).toHaveText('none with open exceptions');
});

test('the exception filter is a checkbox that lives in the URL', async ({ page }) => {
  await signInQuickly(page, 'cs');
  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  await page.getByLabel('Only with open exceptions').check();
  await expect(page).toHaveURL(/exceptions=open/);
  await expect(page.getByTestId('order-total')).toContainText('with open exceptions');
  await page.getByLabel('Only with open exceptions').uncheck();
  await expect(page).not.toHaveURL(/exceptions=open/);
});
