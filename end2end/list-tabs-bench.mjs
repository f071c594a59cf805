// Server CPU with many open order-list tabs under demo traffic (run by
// scripts/list-tabs-bench, which starts the server). Two ways to open a tab:
//
// - browser: a real tab in Debian's Chromium, each in its own browser context
//   (its own connection pool: Chromium allows six HTTP/1.1 connections per
//   host and context, and each tab holds one for its live stream), all on one
//   session, on /orders; waits for its first row.
// - replay: what a tab asks of the server, without a browser: the list once,
//   the live stream of every order event, and (with --refetch-ms N) the list
//   again at most every N ms while events arrive, as the list did before it
//   folded events in the browser (500 ms).
//
// Then reads the server's CPU time (utime + stime from /proc/<pid>/stat) over
// the measuring window and prints one line of JSON.
//   node list-tabs-bench.mjs --base URL --password P --pid PID
//        [--tabs 100] [--seconds 60] [--mode browser|replay] [--refetch-ms 0]
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const base = args.base;
const password = args.password;
const pid = Number(args.pid);
const tabs = Number(args.tabs ?? 100);
const seconds = Number(args.seconds ?? 60);
const mode = args.mode ?? 'browser';
const refetchMs = Number(args['refetch-ms'] ?? 0);
const query = { page: 1, per_page: 25, status: null, channel: null, search: null };

/** The server's CPU time so far, in seconds (utime + stime). */
function cpuSeconds() {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command (which is in parentheses and may hold spaces).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
  return ticks / 100; // USER_HZ is 100 on Linux
}

async function signIn() {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username: 'cs', password }),
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  return cookie;
}

let listRequests = 0;
let events = 0;

async function openBrowserTabs(cookies) {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
      '--disable-backgrounding-occluded-windows'],
  });
  const url = new URL(base);
  const storageState = {
    cookies: cookies.map((c) => {
      const [name, ...value] = c.split('=');
      return { name, value: value.join('='), domain: url.hostname, path: '/', expires: -1,
        httpOnly: true, secure: false, sameSite: 'Strict' };
    }),
    origins: [],
  };
  let opened = 0;
  for (let i = 0; i < tabs; i++) {
    const context = await browser.newContext({ baseURL: base, storageState });
    const page = await context.newPage();
    page.on('request', (r) => {
      if (r.url().endsWith('/api/orders/list')) listRequests += 1;
    });
    try {
      await page.goto('/orders');
      await page.getByTestId('order-row').first().waitFor({ timeout: 60_000 });
      opened += 1;
    } catch (e) {
      console.error(`tab ${i + 1} did not open: ${e.message.split('\n')[0]}`);
      break;
    }
  }
  return { opened, close: () => browser.close() };
}

/** One tab's requests: the list, the stream, and the refetches it causes. */
async function replayTab(cookies, stop) {
  const headers = { cookie: cookies.join('; '), origin: base };
  const list = async () => {
    listRequests += 1;
    const res = await fetch(`${base}/api/orders/list`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`list: ${res.status}`);
    return res;
  };
  await list();
  const res = await fetch(`${base}/api/stream?topics=orders`, { headers, signal: stop });
  if (res.status !== 200) throw new Error(`stream: ${res.status}`);
  let due = null;
  (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body) {
        buffered += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (!frame.includes('event: order_event')) continue;
          events += 1;
          if (refetchMs > 0 && due === null) {
            due = setTimeout(() => {
              due = null;
              list().catch(() => {});
            }, refetchMs);
          }
        }
      }
    } catch {
      // stopped
    }
  })();
  return () => due && clearTimeout(due);
}

const cookies = await signIn();
let opened = 0;
let close = async () => {};
const stop = new AbortController();
if (mode === 'browser') {
  ({ opened, close } = await openBrowserTabs(cookies));
} else {
  const cancels = [];
  for (let i = 0; i < tabs; i++) cancels.push(await replayTab(cookies, stop.signal));
  opened = tabs;
  close = async () => {
    cancels.forEach((cancel) => cancel());
    stop.abort();
  };
}
// Let the opening settle, then measure.
await delay(5_000);
const [cpu0, list0, events0, t0] = [cpuSeconds(), listRequests, events, Date.now()];
await delay(seconds * 1000);
const [cpu1, list1, events1, t1] = [cpuSeconds(), listRequests, events, Date.now()];
await close();
const window = (t1 - t0) / 1000;
console.log(
  JSON.stringify({
    mode,
    tabs: opened,
    refetch_ms: mode === 'replay' ? refetchMs : undefined,
    window_s: Number(window.toFixed(1)),
    server_cpu_s: Number((cpu1 - cpu0).toFixed(2)),
    server_cpu_percent_of_one_core: Number((((cpu1 - cpu0) / window) * 100).toFixed(1)),
    list_requests_per_s: Number(((list1 - list0) / window).toFixed(1)),
    stream_events_per_tab_per_s:
      mode === 'replay' ? Number(((events1 - events0) / window / opened).toFixed(1)) : undefined,
  }),
);
process.exit(0);
