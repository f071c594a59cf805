// Both languages, as a member of staff and a customer use them: switching to
// 中文 applies at once (no reload) and sticks to the account — after a reload
// and on another device —; the order list, the order page (status names,
// timeline meanings, a lifecycle refusal kept on the timeline), an admin page
// and the tracking page read in Chinese; and back to English. The order page
// is saved as a screenshot in each language (test artifacts).
import { test, expect } from '@playwright/test';
import { CHINESE, choose, ENGLISH } from './language';
import { freshAccount, retireFreshAccounts, signInFresh } from './session';
import { cny, createApiKey, fresh, serumShipped, timelineWriter } from './timeline-api';

test.afterEach(async ({ request }) => retireFreshAccounts(request));

const channel = { kind: 'channel', name: 'tmall' };

test('staff switch to 中文 and back; the choice follows the account', async ({
  page,
  browser,
  baseURL,
  request,
}, testInfo) => {
  const username = await freshAccount(request, ['admin'], 'zh');
  await signInFresh(page, username);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // An order shipped with SF Express, whose channel then asked a refund larger
  // than what was paid: the lifecycle refused it and the log kept why.
  const n = fresh();
  const orderId = `CR-LANG${n}`;
  const waybill = `SF${n}`;
  const append = timelineWriter(page.request, await createApiKey(page, 'languages e2e'), orderId, 'lang');
  await serumShipped(append, n, waybill);
  await append(channel, {
    type: 'status_reported',
    dialect: 'douyin.tag',
    value: '200',
    note: 'not applied',
    not_applied: { type: 'refund_too_large', requested: cny(99900), refundable: cny(26800) },
  });

  // 中文, at once: the shell, then the order list.
  await page.goto('/orders');
  await choose(page, CHINESE);
  await expect(page.getByRole('navigation').getByRole('link', { name: '订单' })).toBeVisible();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();

  // After a reload, still Chinese.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '订单', level: 1 })).toBeVisible();
  const row = page.getByTestId('order-row').filter({ hasText: orderId });
  // The serum shipped, the gift box ships later: still picking, in words.
  await expect(row).toContainText('拣货中');
  await expect(row).toContainText('部分发货 · 礼盒待发');
  await expect(row).toContainText('天猫');

  // The order page: status, timeline meanings, the kept refusal, money.
  await page.goto(`/orders/${orderId}`);
  await expect(page.getByTestId('order-header')).toContainText(orderId);
  await expect(page.getByTestId('order-header')).toContainText('拣货中');
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText(`包裹 P1 已交给顺丰速运，运单号 ${waybill}`);
  await expect(timeline).toContainText('已收款 ¥268.00');
  await expect(timeline).toContainText('退款 ¥999.00 超过可退金额（¥268.00）');
  await expect(page.getByText('Parcel P1 handed to')).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('order-page-zh-CN.png'), fullPage: true });
  await testInfo.attach('order page, zh-CN', {
    path: testInfo.outputPath('order-page-zh-CN.png'),
    contentType: 'image/png',
  });

  // An admin page.
  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { name: '用户', level: 1 })).toBeVisible();

  // Another device (no memory of this browser's choice): Chinese once signed in.
  const other = await browser.newContext({ baseURL });
  const elsewhere = await other.newPage();
  await signInFresh(elsewhere, username);
  await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(elsewhere.getByRole('button', { name: '退出登录' })).toBeVisible();
  await other.close();

  // Back to English, without reload, and it sticks.
  await page.goto(`/orders/${orderId}`);
  await expect(timeline).toContainText('顺丰速运');
  await choose(page, ENGLISH);
  await expect(timeline).toContainText(`Parcel P1 handed to SF Express, waybill ${waybill}`);
  await expect(page.getByTestId('order-header')).toContainText('Picking');
  await page.screenshot({ path: testInfo.outputPath('order-page-en.png'), fullPage: true });
  await testInfo.attach('order page, en', {
    path: testInfo.outputPath('order-page-en.png'),
    contentType: 'image/png',
  });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('the tracking page follows the browser\'s language and offers a switch', async ({
  browser,
  baseURL,
  page,
  request,
}) => {
  const username = await freshAccount(request, ['customer_service'], 'zht');
  await signInFresh(page, username);
  const admin = await freshAccount(request, ['admin'], 'zhk');
  // The API key is made by an admin; the link by customer service.
  const adminContext = await browser.newContext({ baseURL });
  const adminPage = await adminContext.newPage();
  await signInFresh(adminPage, admin);
  const n = fresh();
  const orderId = `CR-LANGT${n}`;
  const append = timelineWriter(adminPage.request, await createApiKey(adminPage, 'languages e2e'), orderId, 'langt');
  await serumShipped(append, n, `SF${n}`);
  await adminContext.close();
  const link = await page.request.post('/api/orders/tracking-links/create', {
    data: { order_id: orderId, expires_in_days: 7 },
  });
  expect(link.status(), await link.text()).toBe(200);
  const url: string = (await link.json()).url;

  // A shopper whose browser is in Chinese.
  const shopper = await browser.newContext({ baseURL, locale: 'zh-CN' });
  const track = await shopper.newPage();
  await track.goto(url);
  await expect(track.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(track.getByTestId('tracking-order-number')).toHaveText(orderId);
  await expect(track.getByTestId('tracking-status')).toHaveText('备货中');
  await expect(track.getByText('浙江 杭州')).toBeVisible();
  await expect(track.getByTestId('tracking-parcel')).toContainText('顺丰速运');
  await choose(track, ENGLISH);
  await expect(track.getByTestId('tracking-status')).toHaveText('Being prepared');
  await expect(track.getByTestId('tracking-parcel')).toContainText('SF Express');
  await shopper.close();
});
