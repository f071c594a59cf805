// Playwright runs the browser tests in Debian's Chromium (never a downloaded
// browser) against the real server binary over a fresh store with seeded demo
// traffic. scripts/test sets CONTROL_ROOM_BIN, E2E_DATA_DIR and E2E_PORT.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
const bin = process.env.CONTROL_ROOM_BIN ?? '../target/debug/control-room';
const dataDir = process.env.E2E_DATA_DIR ?? `.data/run-${Date.now()}`;
export const DEMO_PASSWORD = 'e2e-demo-password';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: './test-results',
  reporter: [['list'], ['json', { outputFile: './test-results/results.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Demo accounts (cs, logistics, finance, admin) get this password.
    // The per-request log lines would bury the test output; everything else
    // the server logs (warnings, demo accounts) still shows.
    env: {
      CONTROL_ROOM_DEMO_PASSWORD: DEMO_PASSWORD,
      RUST_LOG: 'info,tower_http=warn,order_control_room::server::request_log=warn',
    },
    command:
      `${bin} serve --data-dir ${dataDir} --bind 127.0.0.1:${port} --dist ../dist` +
      ' --demo --demo-seed 2026 --demo-rate 2',
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
