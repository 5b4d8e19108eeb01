import { test as base, expect } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { startBridgeApp, type RunningBridgeApp } from '../../src/web-bridge/bridge-app';

/**
 * Every test gets its own Link Desk behind a web bridge: fresh data directory and its own
 * keychain service name, so tests never see each other's (or a person's) settings and secrets.
 * The keychain itself is the real Secret Service of the test command's D-Bus session.
 */
export const test = base.extend<{ bridge: RunningBridgeApp; keychainService: string }>({
  keychainService: async ({}, use) => {
    await use(`Link Desk e2e ${randomUUID()}`);
  },
  bridge: async ({ keychainService }, use) => {
    // The specs drive payments and faults over the simulator's test-control routes.
    const app = await startBridgeApp({ keychainService, demoSimulator: { testControl: true } });
    await use(app);
    await app.close();
  },
  page: async ({ page, bridge }, use) => {
    await page.goto(bridge.url);
    await use(page);
  },
});

export { expect };
