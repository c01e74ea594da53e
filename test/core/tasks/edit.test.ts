// Editing a task's text: the rules of composing still hold, the edit is recorded, and an edit
// based on a stale view of the task is refused.
import { describe, expect, it } from 'vitest';
import { editCommand } from '../../../main/core/tasks/edit';
import { CommandError } from '../../../main/core/errors';
import { createHarness } from './queue-harness';
import { makeTask } from './task-fixtures';

const NOW = Date.parse('2026-01-15T12:00:00.000Z');
const task = makeTask({ id: 'a', text: 'Release 2.0 is out https://example.com/a' });

function refusal(fn: () => unknown): CommandError {
  try { fn(); } catch (err) { if (err instanceof CommandError) return err; throw err; }
  throw new Error('expected a refusal');
}

describe('editing a task\'s text', () => {
  it('replaces the text and records when, and what Crier had composed', () => {
    const edited = editCommand(task, 'Release 2.0: faster builds https://example.com/a', task.updatedAt, NOW);
    expect(edited).toMatchObject({ text: 'Release 2.0: faster builds https://example.com/a', status: 'pending', edit: { at: '2026-01-15T12:00:00.000Z', composedText: task.text }, updatedAt: '2026-01-15T12:00:00.000Z' });
  });

  it('keeps the composed text of the first edit through later edits', () => {
    const once = editCommand(task, 'One https://example.com/a', task.updatedAt, NOW);
    const twice = editCommand(once, 'Two https://example.com/a', once.updatedAt, NOW + 1000);
    expect(twice.edit?.composedText).toBe(task.text);
  });

  it('refuses an edit made on a stale view of the task, as a conflict', () => {
    expect(refusal(() => editCommand(task, 'New https://example.com/a', '2026-01-15T10:00:00.000Z', NOW)).code).toBe('conflict');
  });

  it('gives an edit in the same millisecond as the task\'s last change a new version, so an edit made on the old one is refused', () => {
    const same = { ...task, updatedAt: new Date(NOW).toISOString() };
    const once = editCommand(same, 'One https://example.com/a', same.updatedAt, NOW);
    expect(once.updatedAt).not.toBe(same.updatedAt);
    expect(refusal(() => editCommand(once, 'Stale https://example.com/a', same.updatedAt, NOW)).code).toBe('conflict');
    const twice = editCommand(once, 'Two https://example.com/a', once.updatedAt, NOW);
    expect(Date.parse(twice.updatedAt)).toBeGreaterThan(Date.parse(once.updatedAt));
  });

  it('gives every change a new version through the queue, however many fall in one millisecond', () => {
    // The clock never moves: every change falls in the millisecond the task was last changed in.
    const h = createHarness({ start: NOW, tasks: [{ ...task, updatedAt: new Date(NOW).toISOString() }] });
    const versions = [h.task('a').updatedAt];
    versions.push(h.queue.edit('a', 'One https://example.com/a', versions.at(-1)!).updatedAt);
    versions.push(h.queue.cancel('a').updatedAt);
    versions.push(h.queue.retry('a').updatedAt);
    expect(new Set(versions).size).toBe(versions.length);
  });

  it.each(['running', 'completed', 'cancelled'] as const)('refuses to edit a %s task', (status) => {
    const t = { ...task, status };
    expect(refusal(() => editCommand(t, 'New https://example.com/a', t.updatedAt, NOW)).code).toBe('conflict');
  });

  it('edits a failed task without retrying it', () => {
    const failed = { ...task, status: 'failed' as const };
    expect(editCommand(failed, 'Shorter https://example.com/a', failed.updatedAt, NOW).status).toBe('failed');
  });

  it('refuses a text over X\'s 280 by its weighted count, naming the field', () => {
    const error = refusal(() => editCommand(task, `${'é'.repeat(260)} https://example.com/a`, task.updatedAt, NOW));
    expect(error).toMatchObject({ code: 'validation', field: 'text' });
    expect(error.message).toMatch(/284 characters by X's count.*limit is 280/);
  });

  it('counts a long link as 23, as X does', () => {
    const long = `https://example.com/${'x'.repeat(300)}`;
    const t = makeTask({ id: 'b', text: `Item ${long}` });
    expect(editCommand(t, `${'a'.repeat(250)} ${long}`, t.updatedAt, NOW).text).toContain(long);
  });

  it('refuses an edit that drops or breaks the item\'s link', () => {
    expect(refusal(() => editCommand(task, 'Release 2.0 is out', task.updatedAt, NOW)).message).toMatch(/Keep the link https:\/\/example.com\/a whole/);
    expect(refusal(() => editCommand(task, 'Release https://example.com/', task.updatedAt, NOW)).field).toBe('text');
  });

  it('refuses an empty text and characters X rejects', () => {
    expect(refusal(() => editCommand(task, '   ', task.updatedAt, NOW)).field).toBe('text');
    expect(refusal(() => editCommand(task, '\uFEFFhttps://example.com/a', task.updatedAt, NOW)).field).toBe('text');
  });
});

describe('the queue\'s edit command', () => {
  it('stores the edit through, and the next attempt posts the edited text', async () => {
    const h = createHarness({ tasks: [{ ...task, status: 'failed' }] });
    h.queue.start();
    const edited = h.queue.edit('a', 'Edited https://example.com/a', task.updatedAt);
    expect(h.repo.lastWrite('a')).toMatchObject({ durable: true, task: { text: 'Edited https://example.com/a' } });
    h.queue.retry('a');
    await h.clock.settle();
    expect(h.x.calls.map((c) => c.request.text)).toEqual(['Edited https://example.com/a']);
    expect(h.task('a')).toMatchObject({ status: 'completed', edit: { at: edited.edit?.at, composedText: task.text } });
  });
});

describe('editing a task in doubt', () => {
  const inDoubt = { ...task, status: 'failed' as const, inDoubtSince: '2026-01-15T11:30:00.000Z', attempts: 1 };

  it('is refused while Crier cannot look on the timeline', async () => {
    const h = createHarness({ tasks: [inDoubt], connected: false });
    expect(await h.queue.lookForPostInDoubt('a')).toBe('unknown');
    expect(refusal(() => h.queue.edit('a', 'New https://example.com/a', inDoubt.updatedAt)).message).toMatch(/may already be on X/);
  });

  it('is allowed once the timeline shows no earlier post, and the task is no longer in doubt', async () => {
    const h = createHarness({ tasks: [inDoubt] });
    expect(await h.queue.lookForPostInDoubt('a')).toBe('absent');
    expect(h.x.looks).toHaveLength(1);
    const edited = h.queue.edit('a', 'New https://example.com/a', inDoubt.updatedAt, { inDoubtCleared: true });
    expect(edited).toMatchObject({ text: 'New https://example.com/a', inDoubtSince: null });
  });

  it('completes the task instead when the timeline shows the earlier post', async () => {
    const h = createHarness({ tasks: [inDoubt] });
    h.x.timeline({ found: { postId: '9', postUrl: 'https://x.com/i/status/9', note: null } });
    expect(await h.queue.lookForPostInDoubt('a')).toBe('found');
    expect(h.task('a')).toMatchObject({ status: 'completed', postId: '9', inDoubtSince: null });
    expect(h.x.calls).toHaveLength(0);
  });
});
