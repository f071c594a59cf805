// The accessibility check every page passes: axe-core with the WCAG 2.0, 2.1
// and 2.2 A and AA rules, no violation allowed. A failure names each rule,
// the elements it found and how to fix them.
import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe on the page as it is now and fails on any violation. */
export async function expectAxeClean(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  const found = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.failureSummary}`).join('\n'),
  );
  expect(found, `axe on ${what}:\n${found.join('\n')}`).toEqual([]);
}
