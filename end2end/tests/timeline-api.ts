// Writing orders for the browser tests through the timeline write API
// (docs/timeline-api.md), with an API key an admin creates, so a test knows
// its order's events exactly while the seeded demo traffic runs around it.
import { expect, type APIRequestContext, type Page } from '@playwright/test';

/** A unique number for ids in this run. */
export function fresh(): number {
  return Date.now() * 1000 + Math.floor(Math.random() * 1000);
}

/** Creates an API key as the signed-in admin and returns it. */
export async function createApiKey(page: Page, name: string): Promise<string> {
  const res = await page.request.post('/api/admin/api-keys/create', {
    data: { name: `${name} ${fresh()}` },
  });
  expect(res.status(), await res.text()).toBe(200);
  const created = await res.json();
  expect(typeof created.key).toBe('string');
  return created.key;
}

/** Appends canonical events to one order through the timeline write API;
 * event ids start with `prefix`. */
export function timelineWriter(
  request: APIRequestContext,
  key: string,
  orderId: string,
  prefix: string,
) {
  return async (source: object, event: object) => {
    const res = await request.post(`/api/v1/orders/${orderId}/events`, {
      headers: { Authorization: `Bearer ${key}` },
      data: {
        event_id: `${prefix}-${fresh()}`,
        occurred_at: new Date().toISOString(),
        source,
        event,
      },
    });
    expect(res.status(), await res.text()).toBe(200);
    expect((await res.json()).status).toBe('accepted');
  };
}

/** An amount in yuan's minor units. */
export const cny = (minor: number) => ({ minor, currency: 'CNY' });

/**
 * A Tmall order of a rose serum (ships now) and a pre-sale gift box (ships
 * later) for ¥268, to `李娜` in 杭州: the story of "where is my gift box?".
 */
export function serumAndGiftBox(n: number, names: { serum: string; box: string }) {
  return {
    type: 'order_placed',
    channel: 'tmall',
    channel_order_id: `3${n}`,
    customer: {
      name: '李娜',
      // A phone of its own: orders of one customer with the same items and
      // address within 72 h are flagged as likely duplicates.
      phone: `138${String(n).slice(-8)}`,
      address: { country: 'CN', province: '浙江', city: '杭州', line: '西湖区 文三路 259 号' },
    },
    components: [
      {
        id: 'item-1',
        sku: 'E2E-SER-ROSE',
        name: names.serum,
        kind: 'main',
        quantity: 1,
        unit_price: cny(26800),
        ships_later: false,
      },
      {
        id: 'gift-box',
        sku: 'BOX-NY-LTD',
        name: names.box,
        kind: 'gift_box',
        quantity: 1,
        unit_price: cny(0),
        ships_later: true,
      },
    ],
    total: cny(26800),
  };
}

/**
 * The serum-and-gift-box order (`serumAndGiftBox`) on Tmall, paid, with the
 * serum packed in P1 and handed to SF Express as `waybill`; the gift box is
 * still to come.
 */
export async function serumShipped(
  append: ReturnType<typeof timelineWriter>,
  n: number,
  waybill: string,
) {
  const channel = { kind: 'channel', name: 'tmall' };
  const warehouse = { kind: 'warehouse', name: 'Hangzhou DC' };
  await append(channel, serumAndGiftBox(n, { serum: '玫瑰精华液', box: '新年礼盒' }));
  await append({ kind: 'finance' }, { type: 'payment_captured', amount: cny(26800) });
  await append(warehouse, { type: 'parcel_packed', parcel: 'P1', components: ['item-1'] });
  await append(warehouse, { type: 'parcel_shipped', parcel: 'P1', carrier: 'SF Express', waybill });
}
