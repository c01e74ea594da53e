// axe-core in a page of ours: WCAG 2.1 A and AA plus best practices. The pages' CSP refuses an
// inline script, so axe is served from the page's own origin by a route and loaded by URL.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export const RULE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
export const SCHEMES = ['light', 'dark'] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface Violation { id: string; impact: string | null; help: string; nodes: { target: string; summary: string }[] }

export async function audit(page: Page): Promise<Violation[]> {
  const url = new URL('/__a11y/axe.min.js', page.url()).href;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: AXE_SOURCE }));
  await page.addScriptTag({ url });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: {
      id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), summary: n.failureSummary ?? '' })) }));
  }, RULE_TAGS);
}

/** The violations in words, one block each; '' when there are none. */
export function report(violations: Violation[]): string {
  return violations.map((v) => `${v.id} [${v.impact ?? 'n/a'}] ${v.help}\n${v.nodes.map((n) =>
    `  ${n.target}\n    ${n.summary.replace(/\n/g, '\n    ')}`).join('\n')}`).join('\n\n');
}

/** Audits the page in the given color scheme (motion reduced, so nothing is caught mid-transition). */
export async function violationsIn(page: Page, scheme: Scheme): Promise<string> {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  return report(await audit(page));
}
