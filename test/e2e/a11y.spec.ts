import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { LANGUAGES, seedLinks, tourStops, switchLanguage } from './tour';

/**
 * axe-core audit (WCAG 2.1 A/AA rules) of every screen and dialog, in German and English, in the
 * light and the dark colour scheme (there only the colour rules: the rest does not change with
 * it): no serious or critical violation anywhere.
 */
test.describe.configure({ mode: 'parallel' });
// Reduced motion: colours are measured as they end up, not halfway through an animation.
test.use({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });

/** All WCAG 2.1 A/AA rules, or only those that depend on colours (for the second scheme). */
async function seriousViolations(page: Page, where: string, coloursOnly: boolean): Promise<string[]> {
  // Legacy mode runs axe in the page itself: the app has no frames, and the default mode's extra
  // page for merging frame results costs seconds per audit.
  const axe = new AxeBuilder({ page }).setLegacyMode(true);
  const result = await (coloursOnly ? axe.withRules(['color-contrast', 'link-in-text-block']) : axe.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])).analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => {
      const nodes = violation.nodes.slice(0, 4).map((node) => {
        const why = node.failureSummary?.split('\n')[1]?.trim();
        return `${node.target.join(' ')}${why ? ` (${why})` : ''}`;
      });
      return `${where}: ${violation.id} [${violation.impact}] ×${violation.nodes.length}: ${nodes.join('; ')}`;
    });
}

for (const lang of LANGUAGES) {
  test(`no serious accessibility problems on any screen, light and dark, in ${lang}`, async ({ page, bridge }) => {
    test.setTimeout(150_000);
    const links = await seedLinks(bridge);
    await switchLanguage(page, bridge, lang);
    const violations: string[] = [];
    for (const stop of tourStops(bridge, links)) {
      await stop.enter(page);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        violations.push(...(await seriousViolations(page, `${stop.name} (${colorScheme})`, colorScheme === 'dark')));
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
    expect(violations).toEqual([]);
  });
}
