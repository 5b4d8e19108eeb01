import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests run the built renderer in Debian's Chromium through the web bridge
 * (no Electron binary here). Never `playwright install`: the system Chromium is used.
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 45_000,
  expect: { timeout: 8_000 },
  fullyParallel: false,
  workers: 2,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    viewport: { width: 1280, height: 900 },
    trace: 'off',
  },
  projects: [
    { name: 'web-bridge', testMatch: /.*\.spec\.ts$/, testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
