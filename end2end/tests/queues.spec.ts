// The exception queues. A parcel packed without the gift the order promised
// is flagged by the completeness check within a second and appears in the
// logistics queue live, with its countdown in words, in two browsers at once.
// One logistics user claims it (the other browser sees who), then resolves it
// with a reason; it leaves both queues without a reload, and the order's
// timeline names the person for each step. Everything is done by keyboard-
// reachable controls found by role and label.
import { test, expect, type Page } from '@playwright/test';
import { signIn } from './session';
import { choose, ENGLISH } from './language';
import { cny, createApiKey, fresh, timelineWriter } from './timeline-api';

/** A Tmall order of a serum with a pouch as its gift, for a phone of its own. */
function serumWithPouch(n: number) {
  return {
    type: 'order_placed',
    channel: 'tmall',
    channel_order_id: `3${n}`,
    customer: {
      name: '周敏',
      phone: `139${String(n).slice(-8)}`,
      address: { country: 'CN', province: '上海', city: '上海', line: '浦东新区 世纪大道 100 号' },
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
      {
        id: 'gift-1',
        sku: 'POUCH-STD',
        name: '化妆包',
        kind: 'gift',
        quantity: 1,
        unit_price: cny(0),
        ships_later: false,
      },
    ],
    total: cny(26800),
  };
}

/** The logistics queue's row for `orderId`. */
const rowOf = (page: Page, orderId: string) =>
  page.locator(`[data-testid="queue-row"][data-order="${orderId}"]`);

test('a missing gift reaches the logistics queue live, is claimed and resolved, and leaves every queue', async ({
  page,
  browser,
  baseURL,
}) => {
  await signIn(page, 'logistics', '/exceptions');
  await choose(page, ENGLISH);
  await expect(page.getByRole('heading', { name: 'Exception queues' })).toBeVisible();
  await expect(page.getByTestId('queue-logistics')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
  // One kind of exception: the demo traffic keeps the rest of the queue busy.
  await page.getByLabel('Kind').selectOption({ label: 'Gift missing at packing' });

  const other = await browser.newContext({ baseURL });
  const theirs = await other.newPage();
  await signIn(theirs, 'admin', '/exceptions');
  await choose(theirs, ENGLISH);
  await expect(theirs.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
  await theirs.getByLabel('Kind').selectOption({ label: 'Gift missing at packing' });

  // The order, written by another system: the serum is packed alone.
  const admin = await browser.newContext({ baseURL });
  const adminPage = await admin.newPage();
  await signIn(adminPage, 'admin', '/orders');
  const n = fresh();
  const orderId = `CR-GIFT${n}`;
  const append = timelineWriter(adminPage.request, await createApiKey(adminPage, 'queues e2e'), orderId, 'queue');
  await append({ kind: 'channel', name: 'tmall' }, serumWithPouch(n));
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  await append({ kind: 'warehouse', name: 'Shanghai Jiading DC' }, {
    type: 'parcel_packed',
    parcel: 'P1',
    components: ['item-1'],
  });

  // Both queues show it, live, with the clock running in words.
  for (const p of [page, theirs]) {
    const row = rowOf(p, orderId);
    await expect(row).toBeVisible({ timeout: 10_000 });
    await expect(row).toContainText('Gift missing at packing (parcel P1)');
    await expect(row).toContainText('packed without gift-1');
    await expect(row.getByTestId('countdown')).toHaveText(/^(29|30) min left$/);
  }

  // Claimed in one browser; the other sees who took it.
  const mine = rowOf(page, orderId);
  await mine.getByRole('button', { name: 'Claim' }).click();
  await expect(mine.getByRole('status')).toContainText(`Claimed Gift missing at packing (parcel P1) on ${orderId}.`);
  await expect(rowOf(theirs, orderId).getByTestId('claimed-by')).not.toBeEmpty();

  // Resolved with a reason, from the keyboard: it leaves both queues.
  await mine.getByText('Resolve', { exact: true }).first().click();
  const reason = mine.getByLabel('Reason').last();
  await reason.fill('pouch added and parcel re-sealed at the station');
  await reason.press('Enter');
  await expect(rowOf(page, orderId)).toHaveCount(0, { timeout: 10_000 });
  await expect(rowOf(theirs, orderId)).toHaveCount(0, { timeout: 10_000 });

  // The timeline tells who raised, claimed and resolved it.
  await page.goto(`/orders/${orderId}`);
  const entries = page.getByTestId('timeline-entry');
  await expect(entries.filter({ hasText: 'Exception raised on parcel P1 — Gift missing at packing' })).toHaveCount(1);
  await expect(entries.filter({ hasText: 'Taken on — Gift missing at packing (parcel P1)' })).toContainText('(Logistics)');
  await expect(
    entries.filter({ hasText: 'Resolved — Gift missing at packing (parcel P1): pouch added and parcel re-sealed at the station' }),
  ).toContainText('(Logistics)');
  await other.close();
  await admin.close();
});
