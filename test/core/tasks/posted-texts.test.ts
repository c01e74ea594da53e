// Crier refuses, before sending, a text it posted itself in the last 24 hours — or that another
// task in doubt may have posted — from a stored record that clearing history does not empty.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore } from '../../../main/core/store';
import { POSTED_TEXT_WINDOW_MS, refusingEntry, textHash, withPostedText } from '../../../main/core/tasks/posted-texts';
import { memoryQueueMemory } from '../../../main/core/tasks/types';
import type { XFailure } from '../../../main/core/x/types';
import { createFakeClock } from '../../support/fake-clock';
import { createHarness, HOUR, MINUTE, pinTimeZone, type Harness } from './queue-harness';
import { makeTask } from './task-fixtures';

pinTimeZone('UTC');

const DIGEST = 'Weekly digest https://example.com/digest';
const lost: XFailure = { kind: 'network', message: 'X did not answer in time; the request may have reached X.', inDoubt: true };
const at = (minute: number): string => new Date(Date.UTC(2026, 0, 15, 11, minute)).toISOString();
const texts = (h: Harness): string[] => h.x.calls.map((c) => c.request.text);

describe('the record of posted texts', () => {
  it('keeps a hash, not the text, and forgets an entry 24 hours after it', () => {
    const t0 = Date.parse('2026-01-15T12:00:00Z');
    const record = withPostedText([], DIGEST, t0, null);
    expect(record).toEqual([{ hash: textHash(DIGEST), at: '2026-01-15T12:00:00.000Z' }]);
    expect(JSON.stringify(record)).not.toContain('digest');
    expect(refusingEntry(record, { id: 'b', text: DIGEST }, t0 + POSTED_TEXT_WINDOW_MS - 1)).not.toBeNull();
    expect(refusingEntry(record, { id: 'b', text: DIGEST }, t0 + POSTED_TEXT_WINDOW_MS)).toBeNull();
    expect(withPostedText(record, 'other', t0 + POSTED_TEXT_WINDOW_MS, null).map((e) => e.hash)).toEqual([textHash('other')]);
  });

  it('does not refuse the task in doubt its own text', () => {
    const record = withPostedText([], DIGEST, 0, 'a');
    expect(refusingEntry(record, { id: 'a', text: DIGEST }, 1)).toBeNull();
    expect(refusingEntry(record, { id: 'b', text: DIGEST }, 1)).not.toBeNull();
  });
});

describe('the queue before sending', () => {
  it('refuses a second task with a text it posted an hour ago, sending nothing and saying why', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST, createdAt: at(0) }));
    await h.clock.tick(HOUR);
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST, createdAt: at(1) }));
    h.queue.enqueue(makeTask({ id: 'c', createdAt: at(2) }));
    await h.clock.tick(MINUTE);
    expect(texts(h)).toEqual([DIGEST, 'Post c https://example.com/c']);
    expect(h.task('b')).toMatchObject({ status: 'failed', attempts: 0, postId: null, error: { kind: 'duplicate' } });
    expect(h.task('b').error?.message).toBe('Crier posted this exact text less than 24 hours ago, so it was not sent again. Edit the text to post it anyway.');
    expect(h.queue.state().postedToday).toBe(2);
  });

  it('sends the same text again once 24 hours have passed', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST }));
    await h.clock.tick(24 * HOUR);
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(texts(h)).toEqual([DIGEST, DIGEST]);
    expect(h.task('b').status).toBe('completed');
  });

  it('keeps refusing after the history is cleared', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(h.queue.remove(['a'])).toEqual(['a']);
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(texts(h)).toEqual([DIGEST]);
    expect(h.task('b').error?.kind).toBe('duplicate');
  });

  it('keeps refusing across a restart', async () => {
    const memory = memoryQueueMemory();
    const h = createHarness({ memory, settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST }));
    await h.clock.tick(MINUTE);
    const after = createHarness({ memory, start: h.clock.now(), settings: { minPostGapSeconds: 0 }, tasks: [makeTask({ id: 'b', text: DIGEST })] });
    after.queue.start();
    await after.clock.tick(MINUTE);
    expect(after.x.calls).toHaveLength(0);
    expect(after.task('b').error?.kind).toBe('duplicate');
  });

  it('leaves dry runs out: a text run dry is posted for real afterwards', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 }, connected: false });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(h.task('a')).toMatchObject({ status: 'completed', dryRun: true });
    h.account.connected = true;
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(texts(h)).toEqual([DIGEST]);
    expect(h.task('b')).toMatchObject({ status: 'completed', dryRun: false });
  });

  it('does not refuse a dry run a text posted for real', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0 } });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST }));
    await h.clock.tick(MINUTE);
    h.account.connected = false;
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST }));
    await h.clock.tick(MINUTE);
    expect(h.task('b')).toMatchObject({ status: 'completed', dryRun: true });
  });

  it('resends a task in doubt its own text, but refuses it to another task meanwhile', async () => {
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 600 } });
    h.x.reply({ fail: lost });
    h.queue.start();
    h.queue.enqueue(makeTask({ id: 'a', text: DIGEST, createdAt: at(0) }));
    await h.clock.tick(MINUTE);
    expect(h.task('a')).toMatchObject({ status: 'pending', inDoubtSince: '2026-01-15T12:00:00.000Z' });
    h.queue.enqueue(makeTask({ id: 'b', text: DIGEST, createdAt: at(1) }));
    await h.clock.tick(MINUTE);
    expect(h.task('b')).toMatchObject({ status: 'failed', error: { kind: 'duplicate' } });
    expect(h.task('b').error?.message).toMatch(/may already be on X: another task sent it in the last 24 hours and its answer was lost/);
    expect(h.task('b').error?.message).not.toMatch(/UTC/);
    await h.clock.tick(HOUR);
    expect(texts(h)).toEqual([DIGEST, DIGEST]);
    expect(h.task('a')).toMatchObject({ status: 'completed', attempts: 2, inDoubtSince: null });
  });

  it('refuses another task the text of a task left running when Crier stopped', async () => {
    const running = makeTask({ id: 'a', text: DIGEST, status: 'running', attempts: 1, updatedAt: '2026-01-15T11:58:00.000Z', createdAt: at(0) });
    const h = createHarness({ settings: { minPostGapSeconds: 0, retryBaseSeconds: 600 }, tasks: [running, makeTask({ id: 'b', text: DIGEST, createdAt: at(1) })] });
    h.x.reply({ fail: { kind: 'server', message: '503', httpStatus: 503 } });
    h.queue.start();
    await h.clock.tick(MINUTE);
    expect(h.task('b').error?.kind).toBe('duplicate');
    expect(texts(h)).toEqual([DIGEST]);
    expect(h.task('a')).toMatchObject({ status: 'pending', attempts: 2 });
  });

  it('starts a data dir from before the record with the live posts of the last 24 hours its tasks show', async () => {
    const done = makeTask({ id: 'a', text: DIGEST, status: 'completed', attempts: 1, postId: '1', updatedAt: '2026-01-15T02:00:00.000Z' });
    const older = makeTask({ id: 'o', text: 'Old news', status: 'completed', attempts: 1, postId: '2', updatedAt: '2026-01-14T11:00:00.000Z' });
    const h = createHarness({ settings: { minPostGapSeconds: 0 }, tasks: [done, older, makeTask({ id: 'b', text: DIGEST }), makeTask({ id: 'c', text: 'Old news' })] });
    h.queue.start();
    await h.clock.tick(MINUTE);
    expect(h.task('b').error?.kind).toBe('duplicate');
    expect(texts(h)).toEqual(['Old news']);
  });
});

describe('the record in the store', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('is written to the journal and read back after a reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-texts-'));
    dirs.push(dir);
    const clock = createFakeClock();
    const first = openStore(dir, { clock, log: silentLogger });
    expect(first.queueMemory.loadTexts()).toBeUndefined();
    const record = withPostedText(withPostedText([], DIGEST, clock.now(), null), 'maybe', clock.now(), 'task-1');
    first.queueMemory.saveTexts(record);
    first.tasks.put(makeTask({ id: 'x' }), { durable: true });
    await first.close();
    const second = openStore(dir, { clock, log: silentLogger });
    expect(second.queueMemory.loadTexts()).toEqual(record);
    await second.close();
  });

  it('refuses to store an entry that is not a hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crier-texts-'));
    dirs.push(dir);
    const store = openStore(dir, { clock: createFakeClock(), log: silentLogger });
    expect(() => store.queueMemory.saveTexts([{ hash: DIGEST, at: '2026-01-15T12:00:00.000Z' }])).toThrow(/refused an invalid record of posted texts/);
    await store.close();
  });
});
