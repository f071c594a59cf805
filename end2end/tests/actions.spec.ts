// The desk's actions on the order page. Customer service changes the phone:
// before packing it is applied at once; once the parcel is packed it becomes a
// re-label request to the warehouse (the page says so and shows the request
// waiting), and when the warehouse confirms through the timeline API the new
// phone arrives live; once shipped it becomes a carrier redirect request.
// Cancelling after shipping is refused with the lifecycle's reason, in the
// reader's language, and nothing is written. A refund interception asks the
// warehouse to stop the order, and logistics records the warehouse's answer
// on the request. Finance sees no actions at all. Hold and release work from
// the keyboard alone.
//
// Orders are written through the timeline write API (an API key made by
// admin), so the test knows its order's events exactly.
import { test, expect, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD } from '../playwright.config';
import { signIn } from './session';
import { choose, CHINESE, ENGLISH } from './language';
import { cny, fresh, serumAndGiftBox, timelineWriter } from './timeline-api';

/** A timeline writer for a new order, with a key admin makes through `request`. */
async function newOrder(request: APIRequestContext, tag: string) {
  const login = await request.post('/api/auth/login', {
    data: { username: 'admin', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const res = await request.post('/api/admin/api-keys/create', {
    data: { name: `e2e actions ${tag} ${fresh()}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  const n = fresh();
  const orderId = `CR-ACT${n}`;
  const append = timelineWriter(request, (await res.json()).key, orderId, `act-${tag}`);
  await append({ kind: 'channel', name: 'tmall' }, serumAndGiftBox(n, { serum: '玫瑰精华液', box: '新年礼盒' }));
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  return { orderId, append };
}

const WAREHOUSE = { kind: 'warehouse', name: 'Hangzhou DC' };

/** Opens one action's disclosure and returns its form. */
async function openAction(page: Page, action: string, form: string) {
  const details = page.getByTestId(`action-${action}`);
  await details.locator('summary').click();
  await expect(details).toHaveAttribute('open', '');
  return page.getByTestId(form);
}

/** Changes the phone through the contact form. */
async function changePhone(page: Page, phone: string, reason: string) {
  const form = page.getByTestId('contact-form');
  await form.getByLabel('Phone', { exact: true }).fill(phone);
  await form.getByLabel('Reason', { exact: true }).fill(reason);
  await form.getByRole('button', { name: 'Change delivery details' }).click();
}

test('a phone change is applied before packing, a re-label request once packed, a redirect once shipped; a late cancel says why', async ({
  page,
  request,
}) => {
  const { orderId, append } = await newOrder(request, 'contact');
  await signIn(page, 'cs', `/orders/${orderId}`);
  await choose(page, ENGLISH);
  await expect(page.getByTestId('order-header')).toContainText(orderId);
  const outcome = page.getByTestId('action-outcome');
  await expect(outcome).toHaveAttribute('aria-live', 'polite');
  const entries = page.getByTestId('timeline-entry');

  // Nothing packed: applied at once, signed by the agent in their role.
  await openAction(page, 'contact', 'contact-form');
  await changePhone(page, '139 0013 9000', 'customer called with a new number');
  await expect(outcome).toHaveText(
    'Recorded: Delivery details changed — phone 13900139000: customer called with a new number',
  );
  await expect(page.getByTestId('order-phone')).toHaveText('13900139000');
  const changed = page.locator('[data-testid="timeline-entry"][data-kind="contact_changed"]');
  await expect(changed).toHaveCount(1);
  await expect(changed).toContainText('(Customer service)');

  // Everything packed into P1: the same change goes to the warehouse as a
  // re-label request, and the customer's phone stays until it is done.
  await append(WAREHOUSE, { type: 'parcel_packed', parcel: 'P1', components: ['item-1', 'gift-box'] });
  await expect(page.getByTestId('parcels-table')).toContainText('P1');
  await changePhone(page, '137 0013 7000', 'wrong number given');
  await expect(outcome).toHaveText(
    'Recorded: Re-label request RQ-1 to the warehouse for parcel P1 — phone 13700137000: wrong number given',
  );
  await expect(page.getByTestId('order-phone')).toHaveText('13900139000');
  const rq1 = page.locator('[data-testid="request-row"][data-request="RQ-1"]');
  await expect(rq1.getByTestId('request-state')).toHaveText('Waiting for the warehouse to re-label');

  // The warehouse confirms through the timeline API: live, the request is
  // done and the new phone applies.
  await append(WAREHOUSE, { type: 'request_settled', request: 'RQ-1', outcome: 'confirmed', detail: 'new label printed' });
  await expect(rq1.getByTestId('request-state')).toHaveText('Re-labelled by the warehouse — new label printed');
  await expect(page.getByTestId('order-phone')).toHaveText('13700137000');

  // Shipped: a carrier redirect request.
  await append(WAREHOUSE, { type: 'parcel_shipped', parcel: 'P1', carrier: 'SF Express', waybill: `SF${fresh()}` });
  await expect(page.getByTestId('order-status')).toContainText('Shipped');
  await changePhone(page, '13600136000', 'moving to the office address');
  await expect(outcome).toHaveText(
    'Recorded: Redirect request RQ-2 to the carrier for parcel P1 — phone 13600136000: moving to the office address',
  );
  const rq2 = page.locator('[data-testid="request-row"][data-request="RQ-2"]');
  await expect(rq2.getByTestId('request-state')).toHaveText('Waiting for the carrier to redirect');

  // Another change while the carrier has not answered: refused with the
  // reason, nothing written, the agent's input kept.
  const pending = await entries.count();
  await changePhone(page, '13500135000', 'customer called again');
  await expect(outcome).toHaveText('Not done: request RQ-2 is still waiting for its outcome');
  await expect(entries).toHaveCount(pending);
  await expect(page.getByTestId('contact-form').getByLabel('Phone', { exact: true })).toHaveValue('13500135000');

  // Cancelling after shipping: refused with the reason; nothing written.
  const before = await entries.count();
  const cancel = await openAction(page, 'cancel', 'cancel-form');
  await cancel.getByLabel('Reason', { exact: true }).fill('customer no longer wants it');
  await cancel.getByRole('button', { name: 'Cancel order' }).click();
  await expect(outcome).toHaveText('Not done: a parcel has already shipped');
  await expect(cancel.getByLabel('Reason', { exact: true })).toHaveValue('customer no longer wants it');
  await expect(entries).toHaveCount(before);
  await expect(page.getByTestId('order-status')).toContainText('Shipped');

  // In Chinese, the same outcome and the requests' states.
  await choose(page, CHINESE);
  await expect(outcome).toHaveText('未执行：订单已发货，不能再修改');
  await expect(rq1.getByTestId('request-state')).toHaveText('仓库已改标 — new label printed');
  await expect(rq2.getByTestId('request-state')).toHaveText('待快递确认改派');
  await choose(page, ENGLISH);

  // A blank reason is said, not sent.
  await cancel.getByLabel('Reason', { exact: true }).fill('  ');
  await cancel.getByRole('button', { name: 'Cancel order' }).click();
  await expect(outcome).toHaveText('Give a reason.');
  await expect(entries).toHaveCount(before);
});

test('a refund interception asks the warehouse, logistics records its answer, finance sees no actions', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const { orderId, append } = await newOrder(request, 'refund');
  await append(WAREHOUSE, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append({ kind: 'channel', name: 'tmall' }, { type: 'refund_requested', amount: cny(26800), reason: '拍错了' });

  await signIn(page, 'cs', `/orders/${orderId}`);
  await choose(page, CHINESE);
  await expect(page.getByTestId('order-status')).toContainText('退款中');
  const intercept = page.getByTestId('action-intercept');
  await intercept.locator('summary').click();
  const form = page.getByTestId('intercept-form');
  await form.getByLabel('原因', { exact: true }).fill('客户申请退款，请拦截');
  await form.getByRole('button', { name: '申请拦截' }).click();
  await expect(page.getByTestId('action-outcome')).toHaveText(
    '已记录：已请仓库拦截尚未发出的商品（请求 RQ-1）：客户申请退款，请拦截',
  );
  const rq1 = page.locator('[data-testid="request-row"][data-request="RQ-1"]');
  await expect(rq1.getByTestId('request-state')).toHaveText('待仓库确认拦截');
  await choose(page, ENGLISH);

  // Logistics: no contact or cancel forms, but hold, and the outcome of the request.
  const other = await browser.newContext({ baseURL });
  const logistics = await other.newPage();
  await signIn(logistics, 'logistics', `/orders/${orderId}`);
  await choose(logistics, ENGLISH);
  await expect(logistics.getByTestId('desk-actions')).toBeVisible();
  await expect(logistics.getByTestId('action-contact')).toHaveCount(0);
  await expect(logistics.getByTestId('action-cancel')).toHaveCount(0);
  await expect(logistics.getByTestId('action-hold')).toBeVisible();
  const row = logistics.locator('[data-testid="request-row"][data-request="RQ-1"]');
  await row.getByLabel('Outcome of RQ-1').selectOption('confirmed');
  await row.getByLabel('What they said (RQ-1)').fill('pulled from the packing line');
  await row.getByRole('button', { name: 'Record' }).click();
  await expect(logistics.getByTestId('request-outcome')).toHaveText(
    'Recorded: Request RQ-1 confirmed: pulled from the packing line',
  );
  // The agent's page follows live.
  await expect(rq1.getByTestId('request-state')).toHaveText(
    'Stopped by the warehouse — pulled from the packing line',
  );
  await other.close();

  // Finance sees the request, and no actions.
  const third = await browser.newContext({ baseURL });
  const finance = await third.newPage();
  await signIn(finance, 'finance', `/orders/${orderId}`);
  await choose(finance, ENGLISH);
  await expect(finance.getByTestId('order-requests')).toBeVisible();
  await expect(finance.getByTestId('desk-actions')).toHaveCount(0);
  await expect(finance.getByTestId('outcome-form')).toHaveCount(0);
  await third.close();
});

test('hold and release from the keyboard alone', async ({ page, request }) => {
  const { orderId } = await newOrder(request, 'keys');
  await signIn(page, 'cs', `/orders/${orderId}`);
  await choose(page, ENGLISH);
  await expect(page.getByTestId('order-status')).toContainText('Paid');
  const outcome = page.getByTestId('action-outcome');

  // The disclosure opens with Enter; the reason field is next in tab order;
  // Enter in it submits.
  const summary = page.getByTestId('action-hold').locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('hold-form').getByLabel('Reason', { exact: true })).toBeFocused();
  await page.keyboard.type('address to be checked');
  await page.keyboard.press('Enter');
  await expect(outcome).toHaveText('Recorded: Put on hold: address to be checked');
  await expect(page.getByTestId('order-status')).toContainText('On hold');

  // On hold, the same disclosure offers the release.
  const release = page.getByTestId('release-form').getByLabel('Reason', { exact: true });
  await release.focus();
  await page.keyboard.type('address confirmed by phone');
  await page.keyboard.press('Enter');
  await expect(outcome).toHaveText('Recorded: Hold released: address confirmed by phone');
  await expect(page.getByTestId('order-status')).toContainText('Paid');
});
