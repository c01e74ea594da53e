// The fast look at journal lines (record-shape.ts) may only ever say what zod would: every value
// it accepts, RecordSchema accepts and returns unchanged, key order included. Damaged records
// therefore still reach zod and are counted as damage exactly as before.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { silentLogger } from '../../../main/core/ports';
import { JOURNAL_FILE, openStore } from '../../../main/core/store';
import { readJournal } from '../../../main/core/store/journal-read';
import { checkOf, FAST_RECORDS, knownRecord } from '../../../main/core/store/record-shape';
import { RecordSchema, TaskSchema } from '../../../main/core/store/records';
import type { EngineStore } from '../../../main/core/store/types';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';
import { makeTask } from './task-fixture';

const opened: EngineStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

const taskRecord = (fields = {}): Record<string, unknown> => ({ t: 'task', v: makeTask(1, 'failed', fields) });
const runtimeRecord = (): Record<string, unknown> => ({
  t: 'runtime', id: 'feed-1',
  v: {
    title: 'A feed', validators: { etag: '"abc"', lastModified: null },
    health: { lastFetchedAt: '2026-01-01T00:00:00.000Z', lastStatus: 200, lastError: null, consecutiveFailures: 0, nextPollAt: null },
    recentSkips: [{ itemTitle: 'Skipped', reason: 'filtered', at: '2026-01-01T00:00:00.000Z' }],
  },
});
const seenRecord = (address?: string, dedupe: Record<string, unknown> = {}): Record<string, unknown> => ({
  t: 'seen', id: 'feed-1', v: { ids: ['a', 'b'], links: ['https://example.com/a'], ...(address === undefined ? {} : { address }), ...dedupe },
});
/** A skipped-log entry as a poll writes it (poller.ts): one record an item. */
const skipRecord = (fields = {}): Record<string, unknown> => ({
  t: 'skip',
  v: {
    id: 'skip-1', feedId: 'feed-1', reason: 'baseline: already in the feed at its first check', at: '2026-01-01T00:00:00.000Z',
    item: { id: 'item-1', title: 'A story', link: 'https://example.com/a', summary: 'Its summary', published: '2026-01-01T00:00:00.000Z', author: null, image: null, categories: ['news'], ...fields },
  },
});

/** What the records the store writes look like, in every variant of their optional fields. */
const GOOD = [
  taskRecord(),
  taskRecord({ error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 }, attempts: 3 }),
  taskRecord({ error: { kind: 'network', message: 'offline' } }),
  taskRecord({ edit: { at: '2026-01-02T00:00:00.000Z', composedText: 'the composed text' } }),
  taskRecord({ edit: null, inDoubtSince: null }),
  taskRecord({ inDoubtSince: '2026-01-02T00:00:00.000Z' }),
  taskRecord({ finishedAt: null, attemptLog: [], postNowAt: '2026-01-02T00:00:00.000Z' }),
  taskRecord({
    inDoubtSince: null, finishedAt: '2026-01-02T00:01:00.000Z',
    attemptLog: [
      { at: '2026-01-02T00:00:00.000Z', endedAt: '2026-01-02T00:00:01.000Z', outcome: 'failed', dryRun: false, error: { kind: 'server', message: 'X answered 503.', httpStatus: 503 } },
      { at: '2026-01-02T00:01:00.000Z', endedAt: '2026-01-02T00:01:00.000Z', outcome: 'posted', dryRun: true },
    ],
    postNowAt: null,
  }),
  runtimeRecord(),
  seenRecord(),
  seenRecord('https://example.com/feed.xml'),
  seenRecord('https://example.com/feed.xml', { titles: ['a story'], days: ['a 2026-01-01'] }),
  seenRecord(undefined, { titles: [] }),
  seenRecord(undefined, { days: ['b 2026-01-02'] }),
  skipRecord(),
  skipRecord({ link: null, published: null, author: 'Ann', image: 'https://example.com/a.png', categories: [] }),
];

/** The JSON values to try in place of each field: wrong types, out of range, off by a little. */
const ODD_VALUES = [null, '', 'x', 'weird', -1, 0, 1.5, 2 ** 53, true, false, {}, [], ['x'], [1], { kind: 'server', message: 'm' },
  { at: 'x', composedText: 'y', extra: 1 }, { kind: 'nonsense', message: 'm' }, { kind: 'server', message: 'm', httpStatus: 1.5 }];

/** Every record with one field (at any depth) replaced, removed, or joined by an extra key. */
function* variants(value: unknown, path: string[] = []): Generator<{ path: string; make: (root: unknown) => unknown }> {
  if (typeof value !== 'object' || value === null) return;
  const keys = Object.keys(value);
  const at = (root: unknown, edit: (parent: Record<string, unknown>) => void): unknown => {
    const copy = structuredClone(root);
    let parent = copy as Record<string, unknown>;
    for (const key of path) parent = parent[key] as Record<string, unknown>;
    edit(parent);
    return copy;
  };
  yield { path: `${path.join('.')}+extra`, make: (root) => at(root, (p) => { p.extra = 1; }) };
  yield { path: `${path.join('.')} reversed`, make: (root) => at(root, (p) => {
    const entries = Object.entries(p).reverse();
    for (const k of Object.keys(p)) delete p[k];
    for (const [k, v] of entries) p[k] = v;
  }) };
  for (const key of keys) {
    const here = `${path.join('.')}.${key}`;
    yield { path: `${here} removed`, make: (root) => at(root, (p) => { delete p[key]; }) };
    for (const odd of ODD_VALUES) yield { path: `${here}=${JSON.stringify(odd)}`, make: (root) => at(root, (p) => { p[key] = structuredClone(odd); }) };
    yield* variants((value as Record<string, unknown>)[key], [...path, key]);
  }
}

describe('the fast look at a journal record', () => {
  it('takes every record the store writes as it is, so replay rarely needs zod', () => {
    for (const record of GOOD) {
      expect(RecordSchema.safeParse(record).success).toBe(true);
      expect(knownRecord(JSON.parse(JSON.stringify(record)))).toEqual(record);
    }
  });

  it('accepts only what zod accepts, and then exactly what zod returns, key order included', () => {
    let tried = 0;
    let leftToZod = 0;
    for (const record of GOOD) {
      for (const variant of variants(record)) {
        // Through JSON, as replay sees it.
        const value: unknown = JSON.parse(JSON.stringify(variant.make(record)));
        const fast = knownRecord(value);
        const zod = RecordSchema.safeParse(value);
        tried += 1;
        if (fast === null) {
          leftToZod += 1;
          continue;
        }
        expect(zod.success, variant.path).toBe(true);
        expect(JSON.stringify(fast), variant.path).toBe(JSON.stringify(zod.data));
      }
    }
    expect(tried).toBeGreaterThan(1000);
    expect(leftToZod).toBeGreaterThan(0);
  });

  it('leaves numbers JSON can hold but zod refuses (1e400, unsafe integers) to zod', () => {
    const line = JSON.stringify(taskRecord()).replace('"attempts":0', '"attempts":1e400');
    expect(knownRecord(JSON.parse(line))).toBeNull();
    expect(knownRecord(JSON.parse(JSON.stringify(taskRecord({ attempts: 2 ** 53 }))))).toBeNull();
    expect(knownRecord(JSON.parse(JSON.stringify(runtimeRecord()).replace('"lastStatus":200', '"lastStatus":9007199254740993')))).toBeNull();
  });

  it('leaves other record types, unknown types and non-objects to zod', () => {
    for (const value of [{ t: 'notices', v: [] }, { t: 'pause', v: null }, { t: 'del', k: 'task:1' }, { t: 'toString', v: {} },
      { t: '__proto__' }, { t: 1 }, null, 'task', [], 42]) {
      expect(knownRecord(value)).toBeNull();
    }
  });

  it('reads the task, runtime, seen and skip schemas themselves, so none of them falls back to zod', () => {
    expect(Object.keys(FAST_RECORDS)).toEqual(expect.arrayContaining(['task', 'runtime', 'seen', 'skip']));
    expect(Object.entries(FAST_RECORDS).filter(([, check]) => check === undefined)).toEqual([]);
  });

  it('checks an optional field a newer schema adds (a date, a list of objects) without zod', () => {
    const Newer = TaskSchema.extend({
      finishedAt: z.string().nullable().optional(),
      attemptLog: z.array(z.object({ at: z.string(), outcome: z.enum(['posted', 'failed']), httpStatus: z.number().int().min(100).max(599).optional() })).optional(),
    });
    const check = checkOf(Newer);
    expect(check).not.toBeNull();
    const task = { ...makeTask(1, 'completed'), finishedAt: '2026-01-02T00:00:00.000Z', attemptLog: [{ at: '2026-01-02T00:00:00.000Z', outcome: 'posted', httpStatus: 201 }] };
    expect(check?.(task)).toBe(true);
    expect(check?.(makeTask(1, 'completed'))).toBe(true);
    // Each refusal agrees with zod's.
    for (const odd of [{ ...task, finishedAt: 3 }, { ...task, attemptLog: [{ at: 'x', outcome: 'lost' }] },
      { ...task, attemptLog: [{ at: 'x', outcome: 'posted', httpStatus: 99 }] }, { ...task, colour: 'red' }]) {
      expect(check?.(odd)).toBe(false);
      expect(Newer.safeParse(odd).success && Object.keys(Newer.parse(odd)).length === Object.keys(odd).length).toBe(false);
    }
  });

  it('leaves to zod what it does not read: transforms, patterns, records, code-point minimums', () => {
    for (const schema of [z.string().trim(), z.string().regex(/^a/), z.record(z.string(), z.number()), z.string().min(2),
      z.object({ a: z.string().trim() }), z.array(z.string().default('x'))]) {
      expect(checkOf(schema)).toBeNull();
    }
  });

  it('replays task lines with one JSON parse each and no zod', () => {
    const lines = [JSON.stringify({ t: 'header', format: 'crier-journal', version: 1 }),
      ...Array.from({ length: 50 }, (_, i) => JSON.stringify({ t: 'task', v: makeTask(i + 1, i % 2 ? 'completed' : 'failed') })),
      JSON.stringify(runtimeRecord()), JSON.stringify(seenRecord('https://example.com/feed.xml', { titles: ['a story'], days: ['a 2026-01-01'] })),
      JSON.stringify(skipRecord())];
    const zod = vi.spyOn(RecordSchema, 'safeParse');
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const reading = readJournal(Buffer.from(`${lines.join('\n')}\n`));
      expect(reading.entries).toHaveLength(53);
      expect(zod).not.toHaveBeenCalled();
      expect(parse).toHaveBeenCalledTimes(lines.length);
    } finally {
      zod.mockRestore();
      parse.mockRestore();
    }
  });
});

describe('replay of a damaged task record', () => {
  it('counts a structurally wrong task (status "weird", attempts -1) as an unreadable line, as zod did', () => {
    const lines = [
      JSON.stringify({ t: 'header', format: 'crier-journal', version: 1 }),
      JSON.stringify({ t: 'task', v: makeTask(1) }),
      JSON.stringify({ t: 'task', v: { ...makeTask(2), status: 'weird' } }),
      JSON.stringify({ t: 'task', v: { ...makeTask(3), attempts: -1 } }),
      JSON.stringify({ t: 'task', v: { ...makeTask(4), error: { kind: 'server' } } }),
      JSON.stringify({ t: 'task', v: makeTask(5) }),
    ];
    const reading = readJournal(Buffer.from(`${lines.join('\n')}\n`));
    expect(reading.entries.map((e) => (e.record.t === 'task' ? e.record.v.id : e.record.t))).toEqual(['task-1', 'task-5']);
    expect(reading.damage).toEqual({ empty: false, unreadableLines: 3, cut: null });
  });

  it('moves the journal aside with a notice and keeps the readable tasks', () => {
    const dir = tempDir();
    const lines = [
      JSON.stringify({ t: 'header', format: 'crier-journal', version: 1 }),
      JSON.stringify({ t: 'task', v: makeTask(1) }),
      JSON.stringify({ t: 'task', v: { ...makeTask(2), status: 'weird', attempts: -1 } }),
    ];
    writeFileSync(join(dir, JOURNAL_FILE), `${lines.join('\n')}\n`);
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    opened.push(store);
    expect(store.tasks.all().map((t) => t.id)).toEqual(['task-1']);
    expect(store.notices.map((n) => n.kind)).toEqual(['store-recovered']);
    expect(store.notices[0]?.message).toMatch(/1 unreadable line/);
    expect(readdirSync(dir).filter((f) => f.startsWith(`${JOURNAL_FILE}.corrupt-`))).toHaveLength(1);
  });

  it('strips a key a hand edit added, as zod does, and keeps the task', () => {
    const reading = readJournal(Buffer.from(`${JSON.stringify({ t: 'task', v: { ...makeTask(1), colour: 'red' } })}\n`));
    expect(reading.damage).toBeNull();
    expect(reading.entries[0]?.record).toEqual({ t: 'task', v: makeTask(1) });
  });
});
