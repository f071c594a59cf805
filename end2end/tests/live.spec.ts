// Live updates in the browser (issue 5): two people on the same order see each
// other's notes without reload; pausing holds updates and resuming applies
// them; the timeline filters by source system and shows the raw event; the
// connection indicator reports a lost stream and its return.
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
  const shownTotal = await total.textContent();
  const shownRows = await rows.allTextContents();
  const heldAtSnapshot = await heldEvents(page);
  await expect
    .poll(() => heldEvents(page), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(heldAtSnapshot + 3);
  await expect(total).toHaveText(shownTotal!);
  expect(await rows.allTextContents()).toEqual(shownRows);

  await resume.click();
  await expect(page.getByRole('button', { name: 'Pause live updates' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(page.getByTestId('held-events')).toBeHidden();
  await expect(indicator).toHaveText('Live');
  // The held events were applied: the list moved on (new orders arrived).
  await expect.poll(async () => await total.textContent(), { timeout: 5_000 }).not.toBe(shownTotal);
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
  await expect(entry.locator('.relative-time')).toHaveText(/ago$|^just now$/);

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
