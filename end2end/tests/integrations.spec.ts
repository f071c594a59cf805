// Integrations administration in the browser: a signing secret shown once, an
// API key shown once and revoked after a confirmation, the delivery log with
// its filters in the URL, the mapping table filtered by dialect, and the key
// requirement end to end: an admin maps a status value nobody had mapped, and
// the next delivery with that value moves the order.
//
// Deliveries are signed here as the senders sign them (src/server/ingest/
// signature.rs, docs/wms-feed.md), with secrets the admin sets on the
// Integrations page first.
import { test, expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { signIn } from './session';

const SECRETS = {
  Shopify: 'e2e-shopify-secret-1',
  'Our WMS': 'e2e-wms-secret-1',
  Kuaidi100: 'e2e-kuaidi100-salt-1',
} as const;
type Sender = keyof typeof SECRETS;

/** The real payload samples the project keeps (tests/fixtures/README.md). */
function fixture(relative: string): string {
  const root = path.join(__dirname, '..', '..', 'tests', 'fixtures');
  return readFileSync(path.join(root, relative), 'utf8');
}

/** A unique number for ids in this run. */
function fresh(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** An integration's card on the Integrations page. */
function card(page: Page, label: string) {
  return page.getByRole('article', { name: label, exact: true });
}

/**
 * Makes `SECRETS[label]` the current secret of `label`, set as the one the
 * platform issued (unless an earlier test already did), then closes the panel
 * that shows it. The replaced secret keeps working for the default overlap,
 * so the demo traffic signed with it goes on arriving.
 */
/** Opens a card's "Set a new secret…" (closed until asked), by keyboard. */
async function openSecretForm(integration: Locator) {
  const summary = integration.getByText('Set a new secret…');
  if ((await integration.getByTestId('secret-details').getAttribute('open')) === null) {
    await summary.focus();
    await summary.press('Enter');
  }
  await expect(integration.getByRole('button', { name: 'Set new secret' })).toBeVisible();
}

async function setGivenSecret(page: Page, label: Sender) {
  const secret = SECRETS[label];
  const integration = card(page, label);
  const current = integration.getByTestId('current-secret');
  await expect(current).not.toBeEmpty();
  if ((await current.textContent())?.includes(`…${secret.slice(-4)}, set by admin`)) return;
  await openSecretForm(integration);
  await integration.getByLabel('Use the secret the platform issued').check();
  await integration.getByLabel(`Secret from ${label}`).fill(secret);
  await expect(integration.getByLabel('Hours the old secret keeps working')).toHaveValue('24');
  await integration.getByRole('button', { name: 'Set new secret' }).click();
  const shown = integration.getByTestId('secret-shown');
  await expect(shown.getByTestId('shown-value')).toHaveText(secret);
  await integration.getByRole('button', { name: 'Done' }).click();
  await expect(shown).toHaveCount(0);
  await expect(current).toContainText(secret.slice(-4));
}

/** Signs in as admin and sets the given secrets of `senders`. */
async function configure(page: Page, senders: Sender[]) {
  await signIn(page, 'admin', '/admin/integrations');
  for (const sender of senders) await setGivenSecret(page, sender);
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body, 'utf8');

/** Shopify: base64 HMAC-SHA256 of the body in X-Shopify-Hmac-Sha256. */
async function postShopify(request: APIRequestContext, topic: string, order: object) {
  const body = JSON.stringify(order);
  return request.post('/hooks/shopify', {
    headers: {
      'Content-Type': 'application/json',
      'X-Shopify-Topic': topic,
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Hmac-Sha256': hmac(SECRETS.Shopify, body).digest('base64'),
    },
    data: body,
  });
}

/** Our WMS: `sha256=` + hex HMAC-SHA256 of the body in X-Control-Room-Signature. */
async function postWms(request: APIRequestContext, message: object) {
  const body = JSON.stringify(message);
  const secret = SECRETS['Our WMS'];
  return request.post('/hooks/wms', {
    headers: {
      'Content-Type': 'application/json',
      'X-Control-Room-Signature': `sha256=${hmac(secret, body).digest('hex')}`,
    },
    data: body,
  });
}

/** Kuaidi100: form fields `param` (JSON) and `sign` = upper-case hex MD5(param + salt). */
async function postKuaidi100(
  request: APIRequestContext,
  push: object,
  salt: string = SECRETS.Kuaidi100,
) {
  const param = JSON.stringify(push);
  const sign = createHash('md5').update(param + salt, 'utf8').digest('hex').toUpperCase();
  return request.post('/hooks/kuaidi100', {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    data: new URLSearchParams({ param, sign }).toString(),
  });
}

/** `at` in China time as Kuaidi100 writes it: `2026-11-20 18:02:11`. */
function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** A Kuaidi100 push for `waybill` with one track entry whose push state is `state`. */
function kuaidi100Push(waybill: string, state: string, at: Date, context: string) {
  return {
    status: 'polling',
    billstatus: 'got',
    message: '',
    lastResult: {
      message: 'ok',
      nu: waybill,
      ischeck: '0',
      condition: '00',
      com: 'yuantong',
      status: '200',
      state,
      data: [
        {
          time: chinaTime(at),
          ftime: chinaTime(at),
          context,
          areaName: '上海',
          status: '投柜或驿站',
        },
      ],
    },
  };
}

/** Rows with test id `testid` whose `data-<name>` is not `value`. */
function rowsOtherThan(page: Page, testid: string, name: string, value: string) {
  return page.locator(`[data-testid="${testid}"]:not([data-${name}="${value}"])`);
}

/** The status an order page shows. */
function orderStatus(page: Page) {
  return page.getByTestId('order-header').getByTestId('order-status');
}

test('an admin sets a generated secret for the WMS and sees it only once', async ({ page }) => {
  await signIn(page, 'admin', '/admin/integrations');
  const wms = card(page, 'Our WMS');
  await expect(wms.getByTestId('integration-endpoint')).toHaveText(/^http:\/\/[^/]+\/hooks\/wms$/);
  await expect(wms.getByRole('button', { name: 'Set new secret' })).toBeHidden();
  await openSecretForm(wms);
  await wms.getByLabel('Generate one').check();
  await wms.getByRole('button', { name: 'Set new secret' }).click();

  const shown = wms.getByTestId('secret-shown');
  await expect(shown).toHaveAttribute('role', 'status');
  await expect(shown).toContainText('This is the only time this secret is shown');
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  const secret = (await shown.getByTestId('shown-value').textContent())?.trim() ?? '';
  expect(secret.length).toBeGreaterThanOrEqual(8);
  // The list was loaded again: the new secret is the current one, by its hint.
  await expect(wms.getByTestId('current-secret')).toContainText(secret.slice(-4));
  await expect(wms.getByTestId('integration-configured')).toContainText('Configured');

  await page.reload();
  await expect(card(page, 'Our WMS').getByTestId('current-secret')).toContainText(secret.slice(-4));
  await expect(page.getByTestId('secret-shown')).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
});

test('an admin creates an API key, sees it once and revokes it after confirming', async ({
  page,
  request,
}) => {
  await signIn(page, 'admin', '/orders');
  const first = page.getByTestId('order-row').first();
  await expect(first).toBeVisible({ timeout: 15_000 });
  const orderId = await first.getAttribute('data-order-id');

  await page.getByRole('navigation').getByRole('link', { name: 'API keys', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/api-keys$/);
  const name = `e2e key ${fresh()}`;
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();

  const shown = page.getByTestId('api-key-shown');
  await expect(shown).toContainText('This is the only time this key is shown');
  const key = (await shown.getByTestId('shown-value').textContent())?.trim() ?? '';
  expect(key.length).toBeGreaterThan(8);
  const row = page.getByTestId('api-key-row').filter({ hasText: name });
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  await expect(row).not.toContainText(key);

  // The key works for the timeline API while it is active.
  const note = (text: string) =>
    request.post(`/api/v1/orders/${orderId}/events`, {
      headers: { Authorization: `Bearer ${key}` },
      data: {
        event_id: `e2e-${fresh()}`,
        occurred_at: new Date().toISOString(),
        source: { kind: 'control_room' },
        event: { type: 'note_added', text },
      },
    });
  expect((await note('e2e note through the API')).status()).toBe(200);

  // "Revoke" only asks; "Confirm revoke" acts.
  await row.getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(row.getByTestId('api-key-status')).toHaveText('Active');
  await row.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect(row.getByTestId('api-key-status')).toContainText('Revoked');
  await expect(row.getByRole('button', { name: 'Revoke', exact: true })).toHaveCount(0);
  expect((await note('after revoking')).status()).toBe(401);

  await page.reload();
  await expect(
    page.getByTestId('api-key-row').filter({ hasText: name }).getByTestId('api-key-status'),
  ).toContainText('Revoked');
  await expect(page.getByTestId('api-key-shown')).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);
});

test('the delivery log lists deliveries and keeps its filters in the URL', async ({
  page,
  request,
}) => {
  await configure(page, ['Kuaidi100']);
  // One signed with the wrong salt (rejected), one for a waybill nobody knows yet (pending).
  const waybill = `YT${fresh()}`;
  const push = kuaidi100Push(waybill, '0', new Date(), '【上海市】快件已揽收');
  expect((await postKuaidi100(request, push, 'not-the-salt')).status()).toBe(401);
  expect((await postKuaidi100(request, push)).status()).toBe(202);

  await page.getByRole('navigation').getByRole('link', { name: 'Deliveries', exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/deliveries$/);
  const rows = page.getByTestId('delivery-row');
  await expect(rows.first()).toBeVisible();

  await page.getByLabel('Outcome').selectOption({ label: 'Rejected' });
  await expect(page).toHaveURL(/\/admin\/deliveries\?outcome=rejected$/);
  await expect(rows.filter({ hasText: 'the signature does not match' }).first()).toBeVisible();
  await expect(rowsOtherThan(page, 'delivery-row', 'outcome', 'rejected')).toHaveCount(0);

  // A deep link opens with the filters chosen.
  await page.goto('/admin/deliveries?integration=kuaidi100&outcome=pending');
  await expect(page.getByLabel('Integration')).toHaveValue('kuaidi100');
  await expect(page.getByLabel('Outcome')).toHaveValue('pending');
  const pending = rows.filter({ hasText: waybill });
  await expect(pending).toHaveCount(1);
  await expect(pending).toHaveAttribute('data-outcome', 'pending');
  await expect(pending.getByTestId('delivery-outcome')).toHaveText(/Pending/);
  await expect(rowsOtherThan(page, 'delivery-row', 'integration', 'kuaidi100')).toHaveCount(0);

  // "View" shows what was received; "Replay" says what came of it.
  await pending.getByRole('button', { name: 'View' }).click();
  const detail = page.getByTestId('delivery-detail');
  await expect(detail.getByTestId('delivery-body')).toContainText(waybill);
  await pending.getByRole('button', { name: 'Replay' }).click();
  await expect(page.getByTestId('replay-outcome')).toContainText('replayed');
});

test('the mapping table lists rows and filters by dialect', async ({ page }) => {
  await signIn(page, 'admin', '/admin/mappings');
  const rows = page.getByTestId('mapping-row');
  await expect(rows.first()).toBeVisible();
  const all = await rows.count();

  await page.getByLabel('Filter by dialect').selectOption('kuaidi100.state');
  await expect(page).toHaveURL(/\/admin\/mappings\?dialect=kuaidi100\.state$/);
  await expect(rowsOtherThan(page, 'mapping-row', 'dialect', 'kuaidi100.state')).toHaveCount(0);
  const signed = rows.filter({ has: page.getByRole('rowheader', { name: '3', exact: true }) });
  await expect(signed.getByTestId('mapping-target')).toHaveText('Scan: delivered');
  await expect(signed).toContainText('As shipped');
  expect(await rows.count()).toBeLessThan(all);

  await page.reload();
  await expect(page.getByLabel('Filter by dialect')).toHaveValue('kuaidi100.state');

  // A row added through the form is listed under its dialect.
  const value = `e2e_status_${fresh()}`;
  const form = page.getByTestId('new-mapping-form');
  // A <label> around a <select> also reads its options: match the start only.
  await form.getByLabel('Dialect').selectOption('easypost.status');
  await form.getByLabel('Value', { exact: true }).fill(value);
  await form.getByLabel('Means').selectOption('No status change');
  await form.getByRole('button', { name: 'Add mapping' }).click();
  await expect(page.getByTestId('new-mapping-outcome')).toContainText(value);
  await page.getByLabel('Filter by dialect').selectOption('easypost.status');
  await expect(page).toHaveURL(/dialect=easypost\.status$/);
  const added = rows.filter({ has: page.getByRole('rowheader', { name: value, exact: true }) });
  await expect(added.getByTestId('mapping-target')).toHaveText('No status change');
  await expect(added).toContainText('by admin');

  // Component kinds are a dialect too: 小样, 试用装, 体验装 are one trial size,
  // and a new spelling can only mean a kind.
  await page.getByLabel('Filter by dialect').selectOption('component.kind');
  for (const spelling of ['小样', '试用装', '体验装']) {
    const row = rows.filter({ has: page.getByRole('rowheader', { name: spelling, exact: true }) });
    await expect(row.getByTestId('mapping-target')).toHaveText('Component: trial size');
  }
  await form.getByLabel('Dialect').selectOption('component.kind');
  const means = form.getByLabel('Means');
  await expect(means.getByRole('option', { name: 'Component: trial size' })).toHaveCount(1);
  await expect(means.getByRole('option', { name: 'Paid' })).toHaveCount(0);
  const spelling = `试吃装${fresh()}`;
  await form.getByLabel('Value', { exact: true }).fill(spelling);
  await means.selectOption('Component: trial size');
  await form.getByRole('button', { name: 'Add mapping' }).click();
  await expect(page.getByTestId('new-mapping-outcome')).toContainText(spelling);
  const kind = rows.filter({ has: page.getByRole('rowheader', { name: spelling, exact: true }) });
  await expect(kind.getByTestId('mapping-target')).toHaveText('Component: trial size');

  await page.getByLabel('Filter by dialect').selectOption({ label: 'All' });
  await expect(page).toHaveURL(/\/admin\/mappings$/);
});

test('an admin maps an unmapped value and the next delivery with it moves the order', async ({
  page,
  request,
}) => {
  test.setTimeout(60_000);
  await configure(page, ['Shopify', 'Our WMS', 'Kuaidi100']);

  // A paid Shopify order (the published sample with fresh ids).
  const n = fresh();
  const now = new Date();
  const order = JSON.parse(fixture('channels/shopify/orders-create.json'));
  Object.assign(order, {
    id: n,
    name: `#E2E${n}`,
    order_number: n,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    financial_status: 'paid',
    fulfillment_status: null,
  });
  const placed = await postShopify(request, 'orders/create', order);
  expect(placed.status(), await placed.text()).toBe(200);
  const components = order.line_items.map((item: { id: number }) => `item-${item.id}`);

  // Our warehouse packs everything in one parcel and ships it under a fresh waybill.
  const waybill = `YT${n}`;
  const common = {
    channel: 'shopify',
    channel_order_id: `${n}`,
    warehouse: 'Shanghai',
    parcel: 'P1',
  };
  const packed = await postWms(request, {
    ...common,
    message_id: `e2e-${n}-packed`,
    type: 'packed',
    components,
    at: new Date().toISOString(),
  });
  expect(packed.status(), await packed.text()).toBe(200);
  const shipped = await postWms(request, {
    ...common,
    message_id: `e2e-${n}-shipped`,
    type: 'shipped',
    carrier: 'YTO Express',
    waybill,
    at: new Date().toISOString(),
  });
  expect(shipped.status(), await shipped.text()).toBe(200);

  await page.goto(`/orders?q=${n}`);
  const listed = page.getByTestId('order-row');
  await expect(listed).toHaveCount(1);
  const orderId = await listed.getAttribute('data-order-id');
  await page.goto(`/orders/${orderId}`);
  await expect(orderStatus(page)).toHaveAttribute('data-status', 'shipped');

  // Kuaidi100 reports state 501 (投柜或驿站, put in a parcel locker), which the
  // shipped table does not map: the order does not move, the value is counted.
  const first = await postKuaidi100(
    request,
    kuaidi100Push(waybill, '501', new Date(Date.now() - 1000), '【上海市】快件已放入驿站'),
  );
  expect(first.status(), await first.text()).toBe(200);
  await page.reload();
  await expect(orderStatus(page)).toHaveAttribute('data-status', 'shipped');

  await page.getByRole('navigation').getByRole('link', { name: 'Mappings', exact: true }).click();
  const unmapped = page
    .getByTestId('unmapped-row')
    .filter({ has: page.getByRole('rowheader', { name: '501', exact: true }) })
    .filter({ hasText: 'kuaidi100.state' });
  await expect(unmapped.getByTestId('unmapped-count')).toHaveText('1');
  const example = unmapped.getByRole('link', { name: orderId! });
  await expect(example).toHaveAttribute('href', `/orders/${orderId}`);

  await page.getByLabel('Map kuaidi100.state 501 to').selectOption('Scan: delivered');
  await unmapped.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('unmapped-outcome')).toContainText('Mapped kuaidi100.state 501');
  await expect(unmapped).toHaveCount(0);
  await page.getByLabel('Filter by dialect').selectOption('kuaidi100.state');
  const mapped = page
    .getByTestId('mapping-row')
    .filter({ has: page.getByRole('rowheader', { name: '501', exact: true }) });
  await expect(mapped.getByTestId('mapping-target')).toHaveText('Scan: delivered');
  await expect(mapped).toContainText('by admin');

  // The next push with that value (a later entry: not a duplicate) delivers the order.
  const second = await postKuaidi100(
    request,
    kuaidi100Push(waybill, '501', new Date(), '【上海市】已签收，取件码取件'),
  );
  expect(second.status(), await second.text()).toBe(200);
  await page.goto(`/orders/${orderId}`);
  await expect(orderStatus(page)).toHaveAttribute('data-status', 'delivered');
});

test('the integrations screens are not available to other roles', async ({ page }) => {
  await signIn(page, 'logistics', '/admin/integrations');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByTestId('integration')).toHaveCount(0);
  await page.goto('/admin/api-keys');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByTestId('new-api-key-form')).toHaveCount(0);
});
