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
