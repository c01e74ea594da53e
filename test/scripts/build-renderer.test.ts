// What the pages load before their first paint (issue 13): the tasks window's script without the
// length counter (twitter-text and the polyfills it brings, half the page's script), which comes in
// a chunk of its own when an editor first opens; every chunk a page imports at start fetched with
// its script (modulepreload), not one round trip after it; and the event stream opened by a tiny
// script that runs before the main one. Causes, not timings.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../e2e/support/browser';

let out: string;
const read = (file: string): string => readFileSync(join(out, file), 'utf8');
/** The chunks a page's script imports statically (`import "./chunks/x.js"` / `from "./chunks/x.js"`). */
const staticImports = (js: string): string[] => [...js.matchAll(/^import\s*(?:[^'"]*?from\s*)?["'](\.\/chunks\/[^"']+)["'];?$/gm)].map((m) => m[1]!.slice(2));

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'crier-build-renderer-'));
  await buildRenderer(out);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the renderer build', () => {
  it('leaves twitter-text and its polyfills out of the tasks window’s script, in a chunk it imports when an editor opens', () => {
    const tasks = read('tasks.js');
    // twitter-text's own words and core-js's, which the bundle held before.
    for (const marker of ['validateTweet', 'weightedLength', 'core-js', 'punycode']) expect(tasks, marker).not.toContain(marker);
    const lazy = [...tasks.matchAll(/import\("\.\/(chunks\/row-length-[^"]+\.js)"\)/g)].map((m) => m[1]!);
    expect(lazy).toHaveLength(1);
    const chunk = read(lazy[0]!);
    expect(chunk).toContain('weightedLength');
    expect(chunk).toContain('core-js');
    // Under half of what the one bundle weighed (219 KB); the counter's chunk holds the rest.
    expect(tasks.length).toBeLessThan(130_000);
    expect(chunk.length).toBeGreaterThan(80_000);
  });

  it('names in each page a modulepreload for every chunk its script imports at start, before the script', () => {
    for (const page of ['tasks', 'settings']) {
      const html = read(`${page}.html`);
      const imported = staticImports(read(`${page}.js`));
      const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]!);
      expect(preloaded.sort(), page).toEqual([...imported].sort());
      for (const chunk of preloaded) expect(existsSync(join(out, chunk)), chunk).toBe(true);
      if (preloaded.length > 0) expect(html.indexOf('modulepreload')).toBeLessThan(html.indexOf('<script type="module"'));
    }
    // The lazy counter is not preloaded: it is what the start no longer waits for.
    expect(read('tasks.html')).not.toContain('row-length');
  });

  it('runs the tasks window’s early script (the event stream) before its main one, a few hundred bytes with no import', () => {
    const html = read('tasks.html');
    expect(html.indexOf('src="tasks.early.js"')).toBeGreaterThan(0);
    expect(html.indexOf('src="tasks.early.js"')).toBeLessThan(html.indexOf('src="tasks.js"'));
    const early = read('tasks.early.js');
    expect(early).toContain('/api/events?taskLimit=60');
    expect(staticImports(early)).toEqual([]);
    expect(early.length).toBeLessThan(2_000);
  });

  it('keeps a chunk of an earlier build for an hour (a page open from it may still import it), then removes it', async () => {
    const recent = join(out, 'chunks', 'row-length-OLDHASH1.js');
    const old = join(out, 'chunks', 'row-length-OLDHASH2.js');
    writeFileSync(recent, '');
    writeFileSync(old, '');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    await buildRenderer(out);
    const left = readdirSync(join(out, 'chunks'));
    expect(left).toContain('row-length-OLDHASH1.js');
    expect(left).not.toContain('row-length-OLDHASH2.js');
  }, 120_000);
});
