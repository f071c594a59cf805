// Live updates in the browser (issue 5): two people on the same order see each
// other's notes without reload; pausing holds updates and resuming applies
// them; the timeline filters by source system and shows the raw event; the
// connection indicator reports a lost stream and its return, and a catch-up;
// a page holds one shared stream at a time, and none without live widgets.
// The server runs with seeded demo traffic (see playwright.config.ts).
import { test, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../playwright.config';
import { signInQuickly } from './session';

/** Opens the list and returns the id of the first order shown. */
async function firstOrderId(page: Page): Promise<string> {
  await page.goto('/orders');
  const row = page.getByTestId('order-row').first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  const href = await row.getByRole('link').first().getAttribute('href');
  expect(href).toMatch(/^\/orders\/CR-/);
  return href!.split('/').pop()!;
}

/** Opens an order page and waits for its timeline and a live stream. */
async function openOrder(page: Page, id: string) {
  await page.goto(`/orders/${id}`);
  await expect(page.getByTestId('order-header')).toContainText(id);
  await expect(page.getByTestId('timeline-entry').first()).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveText('Live', { timeout: 10_000 });
}

/** The number in the "N new events" counter (0 when it is not shown). */
async function heldEvents(page: Page): Promise<number> {
  const held = page.getByTestId('held-events');
  if (!(await held.isVisible())) return 0;
  return Number((await held.textContent())?.match(/\d+/)?.[0] ?? 0);
}

test('a note added by one person appears on another person\'s open order page', async ({
  page,
  browser,
  baseURL,
}) => {
  await signInQuickly(page, 'cs');
  const id = await firstOrderId(page);

  const other = await browser.newContext({ baseURL });
  const watcher = await other.newPage();
  await signInQuickly(watcher, 'logistics');
  await openOrder(watcher, id);
  await watcher.evaluate(() => ((window as any).__noReload = true));

  await openOrder(page, id);
  const text = `note from cs ${Date.now()}`;
  await page.getByRole('textbox', { name: 'Add note' }).fill(text);
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible();

  await expect(watcher.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible({
    timeout: 5_000,
  });
  expect(await watcher.evaluate(() => (window as any).__noReload)).toBe(true);
  await other.close();
});

test('pausing the order list holds updates and resuming applies them', async ({ page }) => {
  await signInQuickly(page, 'cs');
  await page.goto('/orders');
  await expect(page.getByTestId('order-row').first()).toBeVisible({ timeout: 15_000 });
  const indicator = page.getByTestId('live-indicator');
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  await expect(indicator).toHaveAttribute('role', 'status');

  await page.getByRole('button', { name: 'Pause live updates' }).click();
  const resume = page.getByRole('button', { name: 'Resume live updates' });
  await expect(resume).toHaveAttribute('aria-pressed', 'true');
  await expect(indicator).toHaveText('Paused');

  // Demo traffic keeps coming: events are counted, not applied.
  await expect.poll(() => heldEvents(page), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const total = page.getByTestId('order-total');
  const rows = page.getByTestId('order-row');
  const news = page.getByTestId('list-news');
  const shownTotal = await total.textContent();
  const shownRows = await rows.allTextContents();
  const shownNews = await news.textContent();
  const heldAtSnapshot = await heldEvents(page);
  await expect
    .poll(() => heldEvents(page), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(heldAtSnapshot + 3);
  await expect(total).toHaveText(shownTotal!);
  expect(await rows.allTextContents()).toEqual(shownRows);
  await expect(news).toHaveText(shownNews!);

  await resume.click();
  await expect(page.getByRole('button', { name: 'Pause live updates' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(page.getByTestId('held-events')).toBeHidden();
  await expect(indicator).toHaveText('Live');
  // The held events were applied: new orders are counted (rows stay put).
  await expect.poll(async () => await news.textContent(), { timeout: 5_000 }).not.toBe(shownNews);
});

test('pausing an order page holds new timeline entries until resumed', async ({ page }) => {
  await signInQuickly(page, 'cs');
  const id = await firstOrderId(page);
  await openOrder(page, id);
  await page.getByRole('button', { name: 'Pause live updates' }).click();
  await expect(page.getByTestId('live-indicator')).toHaveText('Paused');

  const text = `held note ${Date.now()}`;
  const res = await page.request.post('/api/orders/note', { data: { order_id: id, text } });
  expect(res.status()).toBe(200);
  await expect(page.getByTestId('held-events')).toHaveText(/^\d+ new events?$/);
  await expect(page.getByTestId('timeline-entry').filter({ hasText: text })).toHaveCount(0);

  await page.getByRole('button', { name: 'Resume live updates' }).click();
  await expect(page.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible();
  await expect(page.getByTestId('held-events')).toBeHidden();
});

test('the timeline filters entries by source system', async ({ page }) => {
  await signInQuickly(page, 'cs');
  const id = await firstOrderId(page);
  const text = `filter note ${Date.now()}`;
  const res = await page.request.post('/api/orders/note', { data: { order_id: id, text } });
  expect(res.status()).toBe(200);
  await openOrder(page, id);

  const timeline = page.getByTestId('timeline');
  const visible = (family: string) =>
    timeline.locator(`[data-testid="timeline-entry"][data-family="${family}"]:visible`);
  const visibleOthers = timeline.locator(
    '[data-testid="timeline-entry"]:not([data-family="staff"]):visible',
  );
  await expect(visible('channel').first()).toBeVisible();
  await expect(visible('staff').filter({ hasText: text })).toBeVisible();

  const filter = page.getByRole('group', { name: 'Show events from' });
  for (const label of ['Channel', 'Warehouse', 'Carrier', 'Finance', 'Control room']) {
    await filter.getByRole('checkbox', { name: label, exact: true }).uncheck();
  }
  await expect(visibleOthers).toHaveCount(0);
  await expect(visible('staff').filter({ hasText: text })).toBeVisible();
  await expect(page.getByTestId('timeline-shown')).toContainText('Showing');

  await filter.getByRole('checkbox', { name: 'Staff', exact: true }).uncheck();
  await expect(timeline.locator('[data-testid="timeline-entry"]:visible')).toHaveCount(0);
  await filter.getByRole('checkbox', { name: 'Channel', exact: true }).check();
  await expect(visible('channel').first()).toBeVisible();
  await expect(visible('staff')).toHaveCount(0);
});

test('an entry shows its times and its raw event on request', async ({ page }) => {
  await signInQuickly(page, 'cs');
  const id = await firstOrderId(page);
  await openOrder(page, id);
  const entry = page.getByTestId('timeline-entry').first();
  await expect(entry.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(entry.locator('time')).toHaveAttribute('title', /UTC$/);
  await expect(entry.locator('.relative-time')).toHaveText(/ago$|^now$/);

  const raw = entry.getByTestId('raw-payload');
  const json = raw.locator('pre');
  await expect(json).toBeHidden();
  await raw.getByText('Raw event').click();
  await expect(json).toBeVisible();
  const parsed = JSON.parse((await json.textContent())!);
  expect(parsed.order_id).toBe(id);
  expect(typeof parsed.seq).toBe('number');
  expect(parsed.source).toBeTruthy();
});

test('the indicator shows the server going away and coming back', async ({ browser }) => {
  // A server of its own (the shared one cannot be stopped), killed and started
  // again on the same port and store: sessions and the log survive it.
  const port = Number(process.env.E2E_PORT ?? 3100) + 7;
  const dataDir = mkdtempSync(join(tmpdir(), 'live-e2e-'));
  const baseURL = `http://127.0.0.1:${port}`;
  let server = await startServer(port, dataDir);
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    await signInQuickly(page, 'cs');
    const id = await firstOrderId(page);
    await openOrder(page, id);
    await page.evaluate(() => ((window as any).__noReload = true));
    const indicator = page.getByTestId('live-indicator');

    await stopServer(server);
    await expect(indicator).toHaveText('Reconnecting…', { timeout: 10_000 });
    await expect(indicator).toHaveAttribute('data-state', 'reconnecting');

    server = await startServer(port, dataDir);
    await expect(indicator).toHaveText('Live', { timeout: 20_000 });

    // The page follows the new server without a reload.
    const text = `after restart ${Date.now()}`;
    const res = await page.request.post('/api/orders/note', { data: { order_id: id, text } });
    expect(res.status()).toBe(200);
    await expect(page.getByTestId('timeline-entry').filter({ hasText: text })).toBeVisible();
    expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  } finally {
    await context.close();
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// One shared stream per page: the app's EventSources are counted by wrapping
// the browser's own before the app starts (same document across client-side
// navigation), so the tests see every stream the page opens and how many
// were open at once.

/** Counts the page's EventSources from its next navigation on. */
async function countStreams(page: Page) {
  await page.addInitScript(() => {
    const w = window as any;
    const Native: typeof EventSource = w.EventSource;
    const all: { url: string; source: EventSource }[] = [];
    const openNow = () => all.filter((s) => s.source.readyState !== 2).length;
    w.__streams = { all, maxOpen: 0, lastSeq: 0, openNow };
    w.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        all.push({ url: String(url), source: this });
        w.__streams.maxOpen = Math.max(w.__streams.maxOpen, openNow());
        // Added before the app's own listener, so it runs first for each event.
        this.addEventListener('order_event', (e) => {
          w.__streams.lastSeq = Number((e as MessageEvent).lastEventId);
        });
      }
    };
  });
}

/** What the counted streams asked for: every one's `topics` (in order), the open ones', the most open at once. */
async function streams(page: Page) {
  const seen = await page.evaluate(() => {
    const s = (window as any).__streams;
    return {
      all: s.all.map((x: any) => x.url as string),
      open: s.all.filter((x: any) => x.source.readyState !== 2).map((x: any) => x.url as string),
      maxOpen: s.maxOpen as number,
    };
  });
  const param = (url: string, name: string) => new URL(url, 'http://x').searchParams.get(name) ?? '';
  // The shell follows the person's mentions on every page's stream; the
  // page's own topics are the rest. The shell joins once it has read the
  // unread count, which may open the page's stream once more with the same
  // page topics: such repeats are counted once.
  const split = (url: string) => param(url, 'topics').split(',').filter((t) => t !== '');
  const own = (url: string) => split(url).filter((t) => !t.startsWith('mentions:')).join(',');
  const mentions = (url: string) => split(url).filter((t) => t.startsWith('mentions:')).join(',');
  const topics = seen.all
    .map(own)
    .filter((t: string, i: number, all: string[]) => t !== '' && (i === 0 || all[i - 1] !== t));
  return {
    topics,
    open: seen.open.map((u: string) => ({ topics: own(u), mentions: mentions(u), after: param(u, 'after') })),
    maxOpen: seen.maxOpen,
  };
}

/** Sends a frame as if the server had, on the page's open stream. */
async function serverFrame(page: Page, name: string, data: object) {
  await page.evaluate(
    ([name, data]) => {
      const open = (window as any).__streams.all.filter((x: any) => x.source.readyState !== 2);
      if (open.length !== 1) throw new Error(`${open.length} open streams`);
      open[0].source.dispatchEvent(new MessageEvent(name as string, { data: JSON.stringify(data) }));
    },
    [name, data] as const,
  );
}

test('the order list, an order page and back never hold more than one stream', async ({ page }) => {
  await countStreams(page);
  await signInQuickly(page, 'cs');
  await page.goto('/orders');
  await page.evaluate(() => ((window as any).__noReload = true));
  const indicator = page.getByTestId('live-indicator');
  const firstRow = page.getByTestId('order-row').first();
  await expect(firstRow).toBeVisible({ timeout: 15_000 });
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  const onList = (await streams(page)).open;
  expect(onList.map((s) => s.topics)).toEqual(['orders']);
  // Resumes after the page as loaded, so the rows miss no event.
  expect(Number(onList[0].after)).toBeGreaterThan(0);

  const link = firstRow.getByRole('link').first();
  const id = (await link.getAttribute('href'))!.split('/').pop()!;
  await link.click();
  await expect(page.getByTestId('order-header')).toContainText(id);
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  const onOrder = await streams(page);
  expect(onOrder.open).toHaveLength(1);
  // Its own topic, and the customer panel's (placements and the customer's
  // orders), never every order's.
  const onOrderTopics = onOrder.open[0].topics.split(',');
  expect(onOrderTopics).toContain(`order:${id}`);
  expect(onOrderTopics).toContain('placements');
  expect(onOrderTopics).not.toContain('orders');
  // Resumes after the order as loaded, so nothing between is missed.
  expect(Number(onOrder.open[0].after)).toBeGreaterThan(0);

  await page.goBack();
  await expect(page.getByTestId('order-row').first()).toBeVisible();
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  const back = await streams(page);
  expect(back.open.map((s) => s.topics)).toEqual(['orders']);
  // One stream per page, each closed before the next opened.
  // (The order page's stream may open again once its customer panel knows
  // which orders to follow; it never carries every order.)
  expect(back.topics[0]).toBe('orders');
  expect(back.topics[back.topics.length - 1]).toBe('orders');
  const onOrderPage = back.topics.slice(1, -1);
  expect(onOrderPage.length).toBeGreaterThan(0);
  for (const topics of onOrderPage) {
    expect(topics.split(',')).toContain(`order:${id}`);
    expect(topics.split(',')).not.toContain('orders');
  }
  expect(back.maxOpen).toBe(1);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('a page without live widgets of its own streams only the mentions', async ({ page }) => {
  await countStreams(page);
  await signInQuickly(page, 'admin');
  await page.goto('/orders');
  const indicator = page.getByTestId('live-indicator');
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect
    .poll(async () => (await streams(page)).open.map((s) => [s.topics, s.mentions]))
    .toEqual([['', 'mentions:admin']]);
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });

  await nav.getByRole('link', { name: 'Orders' }).click();
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  const seen = await streams(page);
  expect(seen.topics).toEqual(['orders', 'orders']);
  expect(seen.maxOpen).toBe(1);
});

test('the indicator says when the stream is catching up and when it is live again', async ({
  page,
}) => {
  await countStreams(page);
  await signInQuickly(page, 'cs');
  await page.goto('/orders');
  const indicator = page.getByTestId('live-indicator');
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });

  // Fell behind: the server replays the log up to `to`, then says caught_up.
  const far = 1_000_000_000_000;
  await serverFrame(page, 'resync', { from: 1, to: far });
  await expect(indicator).toHaveText('Catching up…');
  await expect(indicator).toHaveAttribute('data-state', 'catching-up');
  await expect(indicator).toHaveAttribute('role', 'status');
  await serverFrame(page, 'caught_up', { to: far });
  await expect(indicator).toHaveText('Live');

  // An event at the catch-up's end also means live again. The states the
  // indicator passes through are recorded, so a short catch-up is seen too.
  await expect.poll(() => page.evaluate(() => (window as any).__streams.lastSeq)).toBeGreaterThan(0);
  await page.evaluate(() => {
    const w = window as any;
    const shown = document.querySelector('[data-testid="live-indicator"]')!;
    w.__states = [];
    new MutationObserver(() => w.__states.push(shown.getAttribute('data-state'))).observe(shown, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
    // In the same task as reading the last event, so no event comes between.
    const s = w.__streams;
    const open = s.all.find((x: any) => x.source.readyState !== 2);
    const data = JSON.stringify({ from: s.lastSeq, to: s.lastSeq + 1 });
    open.source.dispatchEvent(new MessageEvent('resync', { data }));
  });
  await expect.poll(() => page.evaluate(() => (window as any).__states)).toContain('catching-up');
  await expect(indicator).toHaveText('Live', { timeout: 10_000 });
  expect((await streams(page)).topics).toEqual(['orders']);
});

/** Starts the control room on `port` over `dataDir` and waits until it is healthy. */
async function startServer(port: number, dataDir: string): Promise<ChildProcess> {
  const bin = process.env.CONTROL_ROOM_BIN ?? '../target/debug/control-room';
  const child = spawn(
    bin,
    ['serve', '--data-dir', dataDir, '--bind', `127.0.0.1:${port}`, '--dist', '../dist',
      '--demo', '--demo-seed', '7', '--demo-rate', '2'],
    { env: { ...process.env, CONTROL_ROOM_DEMO_PASSWORD: DEMO_PASSWORD }, stdio: 'ignore' },
  );
  await expect
    .poll(
      async () => {
        if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 20_000 },
    )
    .toBe(200);
  return child;
}

/** Kills the server at once (as a crash would) and waits until it is gone. */
async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}
