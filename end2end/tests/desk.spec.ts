// The customer-service desk on the order page: "where is my gift box?"
// answered item by item and as a suggested reply written from the log (in the
// customer's language, editable, copied to the clipboard, following the order
// live); and a note with an @mention reaching a colleague's shell and inbox in
// another browser without a reload.
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { freshAccount, retireFreshAccounts, signInFresh, signInQuickly } from './session';
import { createApiKey, fresh, serumShipped, timelineWriter } from './timeline-api';

test.afterEach(async ({ request }) => retireFreshAccounts(request));

const carrier = { kind: 'carrier', name: 'SF Express' };

test('the gift-box question is answered by a suggested reply the agent edits and copies', async ({
  page,
}) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await signInQuickly(page, 'admin');
  const n = fresh();
  const orderId = `CR-DESK${n}`;
  const waybill = `SF${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'desk e2e'), orderId, 'desk');
  await serumShipped(append, n, waybill);
  await append(carrier, {
    type: 'carrier_scan',
    waybill,
    scan: 'in_transit',
    location: '杭州转运中心',
    detail: '快件已到达杭州转运中心',
  });

  await signInQuickly(page, 'cs');
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('order-header')).toContainText(orderId);
  await expect(page.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });

  // Item by item: the serum is on its way with SF; the gift box ships on its own.
  const serumRow = page.getByTestId('whereabouts-row').filter({ hasText: '玫瑰精华液' });
  await expect(serumRow).toContainText(`waybill ${waybill}`);
  await expect(serumRow).toContainText('杭州转运中心');
  const boxRow = page.getByTestId('whereabouts-row').filter({ hasText: '新年礼盒' });
  await expect(boxRow).toContainText('Ships separately, not packed');

  // The customer (Tmall) asks about the gift box: the reply starts with it, in Chinese.
  await page.getByLabel('The customer asks about').selectOption({ label: '新年礼盒 (Gift box)' });
  const reply = page.getByLabel('Reply (you can edit it)');
  await expect(reply).toHaveValue(/^亲，您好！您的订单 3\d+ 目前情况如下：\n新年礼盒将单独发货/);
  await expect(reply).toHaveValue(new RegExp(`玫瑰精华液已于\\d+月\\d+日由顺丰速运发出，运单号 ${waybill}。`));
  await expect(reply).toHaveValue(/最新物流：.*杭州转运中心，运输中。/);

  // The same facts in English when the customer writes in English.
  await page.getByLabel('Reply in').selectOption('en');
  await expect(reply).toHaveValue(/新年礼盒 ships separately; we will send you the waybill number/);
  await expect(reply).toHaveValue(new RegExp(`shipped on .* with SF Express, waybill ${waybill}\\.`));

  // It follows the order live until the agent edits it.
  await page.getByLabel('Reply in').selectOption('zh-CN');
  await append(carrier, {
    type: 'carrier_scan',
    waybill,
    scan: 'out_for_delivery',
    location: '杭州西湖区',
    detail: '快递员正在派送',
  });
  await expect(reply).toHaveValue(/今天正在派送，请保持电话畅通。/);

  const edited = `${await reply.inputValue()}\n祝您生活愉快！`;
  await reply.fill(edited);
  await expect(page.getByTestId('reply-copied')).toHaveText(
    'Edited: news on the order will not overwrite your changes',
  );
  await page.getByRole('button', { name: 'Copy reply' }).click();
  await expect(page.getByTestId('reply-copied')).toHaveText('Copied to the clipboard');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(edited);
});

test('a colleague mentioned in a note sees it arrive in another browser without a reload', async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const colleague = await freshAccount(request, ['logistics'], 'mention');
  await signInQuickly(page, 'admin');
  const n = fresh();
  const orderId = `CR-MENTION${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'mention e2e'), orderId, 'mention');
  await serumShipped(append, n, `SF${n}`);

  // The colleague works the order list in their own browser.
  const theirs = await browser.newContext({ baseURL });
  const them = await theirs.newPage();
  await signInFresh(them, colleague);
  await expect(them.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
  await them.evaluate(() => ((window as any).__noReload = true));
  const unread = them.getByTestId('mentions-unread');
  await expect(unread).toHaveText('');
  await expect(unread).toHaveAttribute('role', 'status');

  // Customer service asks them about the gift box on the order.
  await signInQuickly(page, 'cs');
  await page.goto(`/orders/${orderId}`);
  const text = `@${colleague} 客户问礼盒什么时候发，请查一下仓库 ${n}`;
  await page.getByTestId('note-text').fill(text);
  await page.getByTestId('note-submit').click();
  await expect(page.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible();

  await expect(unread).toHaveText('1 unread', { timeout: 10_000 });
  expect(await them.evaluate(() => (window as any).__noReload)).toBe(true);

  // The inbox lists it with a link to the order; opening it reads it.
  await them.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Mentions' }).click();
  const mention = them.getByTestId('mention').filter({ hasText: text });
  await expect(mention).toContainText('Unread');
  await expect(unread).toHaveText('');
  await mention.getByRole('link', { name: `Order ${orderId}` }).click();
  await expect(them.getByTestId('order-header')).toContainText(orderId);
  expect(await them.evaluate(() => (window as any).__noReload)).toBe(true);
  await theirs.close();
});

test('the order list exports what its filters show as CSV for Excel, and the customer panel its 30 days', async ({
  page,
}) => {
  await signInQuickly(page, 'admin');
  const n = fresh();
  const orderId = `CR-EXPORT${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'export e2e'), orderId, 'export');
  await serumShipped(append, n, `SF${n}`);

  await signInQuickly(page, 'cs');
  await page.goto(`/orders?q=${orderId}`);
  await expect(page.getByTestId('order-row')).toHaveCount(1, { timeout: 15_000 });
  const [list] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const text = readFileSync((await list.path())!, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.slice(1).trim().split(/\r?\n/);
  expect(lines[0].startsWith('Order,Channel,Channel order number')).toBe(true);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(orderId);
  expect(lines[1]).toContain('玫瑰精华液 ×1');

  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('customer-order').filter({ hasText: orderId })).toBeVisible();
  const [customer] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: "Export this customer's orders (CSV)" }).click(),
  ]);
  const rows = readFileSync((await customer.path())!, 'utf8').slice(1).trim().split(/\r?\n/);
  expect(rows[0].endsWith('Notes,Likely duplicate of')).toBe(true);
  expect(rows.some((r) => r.startsWith(orderId))).toBe(true);
});
