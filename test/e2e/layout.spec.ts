import { test, expect } from './fixtures';
import { layoutProblems } from './layout-check';
import { LANGUAGES, SIZES, seedLinks, tourStops, switchLanguage } from './tour';

/**
 * Every screen and dialog at a small laptop (1024×640), a common one (1280×800) and full HD, in
 * German and English: nothing cut off, no sideways scrolling, every button fully visible.
 * One page per size and language walks the whole tour, which keeps this spec fast.
 */
test.describe.configure({ mode: 'parallel' });

for (const size of SIZES) {
  for (const lang of LANGUAGES) {
    test(`every screen fits at ${size.width}×${size.height} in ${lang}`, async ({ page, bridge }) => {
      // About 30 stops, each measured: on a loaded 2-core machine that takes longer than one test's default.
      test.setTimeout(120_000);
      await page.setViewportSize(size);
      const links = await seedLinks(bridge);
      await switchLanguage(page, bridge, lang);
      const problems: string[] = [];
      for (const stop of tourStops(bridge, links)) {
        await stop.enter(page);
        problems.push(...(await layoutProblems(page)).map((problem) => `${stop.name}: ${problem}`));
      }
      expect(problems).toEqual([]);
    });
  }
}
