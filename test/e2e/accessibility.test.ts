// An accessibility audit of both windows in real Chromium through the fake preload bridge:
// axe-core's WCAG 2.1 A/AA rules over realistic states in the light and the dark theme, and
// a keyboard walk through the tasks page.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewResult, StateSnapshot } from '../../preload/contract';
import { audit, report, SCHEMES, type Scheme } from './support/axe';
import { useBridgeSuite } from './support/bridge-suite';
import { makeQueue, makeSnapshot, makeTask, realisticSnapshot, settingsSnapshot } from './support/fixtures';

const suite = useBridgeSuite();

async function expectNoViolations(page: Page, scheme: Scheme): Promise<void> {
  await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
  const violations = await audit(page);
  expect(report(violations), `axe found ${violations.length} violation(s) in the ${scheme} theme`).toBe('');
}

const NOW = Date.now();

/** Every status, a failed task with its error, a retry waiting, a note, a notice, a rate-limit pause. */
function busyTasks(): StateSnapshot {
  const snap = realisticSnapshot(NOW);
  return { ...snap, queue: makeQueue(snap.tasks, { paused: true, pauseReason: 'rate-limited',
    resumesAt: new Date(NOW + 12 * 60_000).toISOString(), postedToday: 12 }) };
}

/** Paused by the user, no account so dry run, a dry-run task. */
function dryRunTasks(): StateSnapshot {
  const tasks = [makeTask({ id: 'd1', status: 'completed', attempts: 1, dryRun: true, itemTitle: 'A dry run post' }),
    makeTask({ id: 'd2', status: 'failed', attempts: 3, error: { kind: 'network', message: 'socket hang up' } })];
  return makeSnapshot({ tasks, queue: makeQueue(tasks, { paused: true, pauseReason: 'user' }),
    account: { connected: false, handle: null, method: null, dryRun: true, secretsProtected: false } });
}

const PREVIEW: PreviewResult = {
  feedTitle: 'Rust Blog',
  posts: [
    { itemId: 'p1', itemTitle: 'Announcing Rust 1.96.0', text: 'Announcing Rust 1.96.0 #rustlang https://blog.rust-lang.org/2026/04/1.96.0.html', weightedLength: 56, imageUrl: null },
    { itemId: 'p2', itemTitle: 'A very long post', text: `${'All the words. '.repeat(22)}https://blog.rust-lang.org/long`, weightedLength: 353, imageUrl: null },
  ],
  skipped: [{ itemId: 's1', itemTitle: 'Call for testing: async closures', reason: 'excluded by "call for"' }],
};

describe('the tasks window passes WCAG 2.1 A and AA', () => {
  for (const scheme of SCHEMES) {
    it(`has no violations with every status, an error, a rate-limit pause and a notice (${scheme})`, async () => {
      const page = await suite.open('tasks.html', busyTasks());
      await page.locator('.task-failed').first().waitFor();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations paused by the user in dry run, filtered to failed tasks (${scheme})`, async () => {
      const page = await suite.open('tasks.html', dryRunTasks());
      await page.locator('.filter-failed').click();
      await page.locator('.task-failed').first().waitFor();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations with no tasks yet and the search focused (${scheme})`, async () => {
      const page = await suite.open('tasks.html', makeSnapshot());
      await page.locator('#empty:not([hidden])').waitFor();
      await page.locator('#search').focus();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations with the reconnect dialog open (${scheme})`, async () => {
      const snap = realisticSnapshot(NOW);
      const page = await suite.open('tasks.html', { ...snap, queue: makeQueue(snap.tasks, { paused: true, pauseReason: 'auth' }) });
      await page.getByRole('button', { name: /Reconnect/ }).click();
      await page.locator('#reconnect-dialog[open]').waitFor();
      await expectNoViolations(page, scheme);
    });
  }
});

describe('the settings window passes WCAG 2.1 A and AA', () => {
  for (const scheme of SCHEMES) {
    it(`has no violations with feeds in every health, a notice, costs and the account (${scheme})`, async () => {
      const page = await suite.open('settings.html', settingsSnapshot(NOW));
      await page.locator('.feed-card').first().waitFor();
      await page.locator('.feed-card', { hasText: 'Rust Blog' }).locator('.feed-skips summary').click();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations with a feed editor open on its preview (${scheme})`, async () => {
      const page = await suite.open('settings.html', settingsSnapshot(NOW));
      await page.evaluate((p) => { window.__crierPreview = p; }, PREVIEW);
      await page.getByRole('button', { name: 'Edit Rust Blog' }).click();
      await page.locator('.preview-post').first().waitFor();
      await page.getByRole('button', { name: 'Add feed' }).click();
      await page.locator('.feed-add-card').waitFor();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations with no account, the connect form showing an error (${scheme})`, async () => {
      const page = await suite.open('settings.html#account', makeSnapshot({
        account: { connected: false, handle: null, method: null, dryRun: true, secretsProtected: false } }));
      await page.locator('.connect-form').getByRole('button', { name: 'Connect' }).click();
      await page.locator('.connect-form [aria-invalid="true"]').first().waitFor();
      await expectNoViolations(page, scheme);
    });

    it(`has no violations with the confirm dialog open (${scheme})`, async () => {
      const page = await suite.open('settings.html#data', settingsSnapshot(NOW));
      await page.getByRole('button', { name: 'Clear history…' }).click();
      await page.locator('#confirm-dialog[open]').waitFor();
      await expectNoViolations(page, scheme);
    });
  }
});

interface Stop { key: string; outline: string; shadow: string }

/** Presses Tab until focus leaves the page or `max` stops; each stop named and its focus style read. */
async function tabWalk(page: Page, max: number): Promise<Stop[]> {
  const stops: Stop[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLElement) || el === document.body) return null;
      const row = el.closest('.task');
      const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
      const key = el.id ? `#${el.id}`
        : el.classList.contains('filter') ? `filter:${el.dataset.status ?? ''}`
          : row ? `row${row.getAttribute('aria-posinset') ?? '?'}:${name}`
            : `${el.tagName.toLowerCase()}:${name}`;
      const cs = getComputedStyle(el);
      const visible = el.matches(':focus-visible');
      // A ring drawn as a box-shadow has a spread and no offset or blur ("0 0 0 3px"); a button's
      // resting drop shadow is no focus indicator.
      const ring = cs.boxShadow.match(/(?:rgba?\([^)]*\)\s*)?0px 0px 0px [1-9][\d.]*px/);
      return { key, outline: visible && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 ? `${cs.outlineWidth} ${cs.outlineStyle} ${cs.outlineColor}` : '',
        shadow: visible && ring ? ring[0] : '' };
    });
    if (!stop) break;
    if (stops.some((s) => s.key === stop.key)) break;
    stops.push(stop);
  }
  return stops;
}

describe('the tasks window from the keyboard', () => {
  for (const scheme of SCHEMES) {
    it(`tabs through the window actions, the filter bar, the search and each row’s actions in order, each with a visible focus ring (${scheme})`, async () => {
      const page = await suite.open('tasks.html', busyTasks());
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('.task').first().waitFor();
      const stops = await tabWalk(page, 80);
      const keys = stops.map((s) => s.key);

      const filters = ['all', 'pending', 'running', 'completed', 'failed', 'cancelled'].map((s) => `filter:${s}`);
      const at = (k: string): number => keys.indexOf(k);
      expect(keys.filter((k) => k.startsWith('filter:'))).toEqual(filters);
      expect(at('#pause-toggle')).toBeLessThan(at('filter:all'));
      expect(at('#settings-link')).toBeLessThan(at('filter:all'));
      expect(at('#search')).toBe(at('filter:cancelled') + 1);
      expect(at('#retry-failed')).toBe(at('#search') + 1);

      // Every button and link of every row the list has rendered, top to bottom, after the toolbar.
      const expected = await page.evaluate(() => [...document.querySelectorAll('#list .task')].flatMap((row) =>
        [...row.querySelectorAll('button, a[href]')].map((el) => `row${row.getAttribute('aria-posinset') ?? '?'}:${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`)));
      expect(expected.length).toBeGreaterThan(8);
      const rowStops = keys.filter((k) => k.startsWith('row'));
      expect(rowStops.slice(0, expected.length)).toEqual(expected);
      expect(at(expected[0] ?? '')).toBeGreaterThan(at('#retry-failed'));

      const invisible = stops.filter((s) => !s.outline && !s.shadow).map((s) => s.key);
      expect(invisible, 'stops without a visible focus indicator').toEqual([]);
    });
  }
});
