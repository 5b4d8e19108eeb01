/**
 * Screenshots of every screen and dialog at 1024×640, 1280×800 and 1920×1080, German and English,
 * light and dark, to look at the app as a person would. After `npm run build`:
 *
 *   npx tsx scripts/screenshots.ts [--sizes 1024x640,1280x800] [--langs de] [--schemes dark] [--stops link,history]
 *
 * Writes `.screenshots/<width>x<height>-<lang>-<scheme>-<stop>.png` (git-ignored). Runs the app
 * through the web bridge with an in-memory keychain and a fresh data folder, in Debian's Chromium.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startBridgeApp } from '../src/web-bridge/bridge-app';
import { createInMemorySecretStore } from '../src/main/secret-store';
import { LANGUAGES, SIZES, seedLinks, tourStops, switchLanguage } from '../test/e2e/tour';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    langs: { type: 'string' },
    schemes: { type: 'string' },
    stops: { type: 'string' },
    out: { type: 'string', default: '.screenshots' },
  },
});
const list = (value: string | undefined) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : null);
const sizes = SIZES.filter((s) => list(values.sizes)?.includes(`${s.width}x${s.height}`) ?? true);
const langs = LANGUAGES.filter((l) => list(values.langs)?.includes(l) ?? true);
const schemes = (['light', 'dark'] as const).filter((s) => list(values.schemes)?.includes(s) ?? true);
const wanted = list(values.stops);
const outDir = resolve(values.out ?? '.screenshots');
await mkdir(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let count = 0;
try {
  for (const size of sizes) {
    for (const lang of langs) {
      for (const colorScheme of schemes) {
        // A fresh app per run: the tour's last stop leaves Demo mode.
        // The tour pays links over the Demo simulator's test-control routes.
        const bridge = await startBridgeApp({ secretStore: createInMemorySecretStore(), demoSimulator: { testControl: true } });
        try {
          const context = await browser.newContext({ viewport: size, colorScheme, locale: lang === 'de' ? 'de-DE' : 'en-GB' });
          const page = await context.newPage();
          const links = await seedLinks(bridge);
          await switchLanguage(page, bridge, lang);
          for (const stop of tourStops(bridge, links)) {
            await stop.enter(page);
            if (wanted && !wanted.includes(stop.name)) continue;
            // Let transitions and the live status settle, as a person's glance would.
            await page.waitForTimeout(250);
            const file = join(outDir, `${size.width}x${size.height}-${lang}-${colorScheme}-${stop.name}.png`);
            await page.screenshot({ path: file });
            count++;
            // Screens longer than the window: their end too, unless a dialog or menu is open.
            const scrolled = await page.evaluate(() => {
              const content = document.querySelector('.content');
              if (!content || document.querySelector('dialog[open], .row-menu-list')) return false;
              if (content.scrollHeight <= content.clientHeight + 40) return false;
              content.scrollTo(0, content.scrollHeight);
              return true;
            });
            if (scrolled) {
              await page.screenshot({ path: file.replace(/\.png$/, '-end.png') });
              count++;
            }
          }
          await context.close();
        } finally {
          await bridge.close();
        }
      }
    }
  }
} finally {
  await browser.close();
}
console.info(`${count} screenshots in ${outDir}`);
