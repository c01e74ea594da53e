import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationMode, Task } from '../../preload/contract';
import {
  BURST_MS, coalesce, createNotifier, notificationFor, plainText, type BurstEntry,
} from '../../main/electron/notifications';
import { createFakeClock } from '../support/fake-clock';
import { FakeService } from '../support/fake-service';
import { Notification, resetElectronMock } from '../mocks/electron';
import { task } from './tray-state';

const failedTask = (fields: Partial<Task> = {}): Task =>
  task({ status: 'failed', error: { kind: 'forbidden', message: 'X refused the post (403).', httpStatus: 403 }, ...fields });

describe('notificationFor', () => {
  const pending = task({ status: 'pending' });
  const running = task({ status: 'running' });

  it.each<[string, Task | undefined, Task, NotificationMode, { title: string; body: string } | null]>([
    ['a failure in failures mode', running, failedTask({ itemTitle: 'Hello' }),
      'failures', { title: 'Post failed: Hello', body: 'X refused the post (403).' }],
    ['a failure in all mode', running, failedTask({ itemTitle: 'Hello' }),
      'all', { title: 'Post failed: Hello', body: 'X refused the post (403).' }],
    ['a failure with notifications off', running, failedTask(), 'off', null],
    ['a task that was already failed', failedTask(), failedTask(), 'all', null],
    ['a new task that arrives failed', undefined, failedTask({ itemTitle: 'New' }),
      'failures', { title: 'Post failed: New', body: 'X refused the post (403).' }],
    ['a failure without an error message', running, task({ status: 'failed', itemTitle: 'Quiet' }),
      'failures', { title: 'Post failed: Quiet', body: 'The post could not be made.' }],
    ['a dry-run failure', running, failedTask({ itemTitle: 'Hello', dryRun: true }),
      'failures', { title: 'Post failed (dry run): Hello', body: 'X refused the post (403).' }],
    ['a post in all mode', running, task({ status: 'completed', itemTitle: 'Hello', text: 'Hello https://x.test/1' }),
      'all', { title: 'Posted: Hello', body: 'Hello https://x.test/1' }],
    ['a post with a note', running, task({ status: 'completed', itemTitle: 'Hi', text: 'Hi', note: 'image failed: posted text only' }),
      'all', { title: 'Posted: Hi', body: 'Hi (image failed: posted text only)' }],
    ['a post in failures mode', running, task({ status: 'completed' }), 'failures', null],
    ['a dry run in all mode', running, task({ status: 'completed', itemTitle: 'Hello', text: 'Hello!', dryRun: true }),
      'all', { title: 'Dry run: Hello', body: 'Not posted to X. Would have posted: Hello!' }],
    ['a task that was already completed', task({ status: 'completed' }), task({ status: 'completed' }), 'all', null],
    ['a task that became pending', running, pending, 'all', null],
    ['a cancellation', pending, task({ status: 'cancelled' }), 'all', null],
    ['a task starting to run', pending, running, 'all', null],
  ])('for %s', (_name, previous, next, mode, expected) => {
    expect(notificationFor(previous, next, mode)).toEqual(expected);
  });

  it('makes feed text one plain line without control or bidi characters', () => {
    const next = failedTask({
      itemTitle: 'Evil\u202e gnp.exe\u0007\nsecond line\u0000',
      error: { kind: 'unknown', message: 'bad\r\nthing\u001b[31m', httpStatus: 500 },
    });
    expect(notificationFor(task({ status: 'running' }), next, 'failures'))
      .toEqual({ title: 'Post failed: Evil gnp.exe second line', body: 'bad thing [31m' });
  });

  it('shortens long titles and bodies with an ellipsis', () => {
    const next = failedTask({ itemTitle: 'T'.repeat(500), error: { kind: 'unknown', message: 'M'.repeat(1000) } });
    const content = notificationFor(undefined, next, 'failures');
    expect(content?.title.length).toBeLessThanOrEqual(80);
    expect(content?.title.endsWith('…')).toBe(true);
    expect(content?.body.length).toBeLessThanOrEqual(240);
  });

  it('names an item without a title', () => {
    expect(notificationFor(undefined, failedTask({ itemTitle: ' \u0000 ' }), 'failures')?.title).toBe('Post failed: Untitled item');
  });

  it('plainText collapses whitespace and trims', () => {
    expect(plainText('  a \t b\u0085c  ', 100)).toBe('a b c');
  });
});

describe('coalesce', () => {
  const entry = (status: BurstEntry['status'], title: string): BurstEntry => ({ status, content: { title, body: 'b' } });

  it('shows a few notifications as they are', () => {
    const entries = [entry('failed', 'A'), entry('completed', 'B'), entry('failed', 'C')];
    expect(coalesce(entries)).toEqual(entries.map((e) => e.content));
  });

  it('turns a larger burst into one summary by outcome', () => {
    const entries = ['A', 'B', 'C', 'D', 'E'].map((t) => entry('failed', `Post failed: ${t}`));
    expect(coalesce(entries)).toEqual([{
      title: '5 posts failed',
      body: "Open Crier's tasks to see them. Post failed: A; Post failed: B; Post failed: C",
    }]);
  });

  it('counts failures and posts apart in a mixed burst', () => {
    const entries = [entry('failed', 'A'), entry('completed', 'B'), entry('completed', 'C'), entry('completed', 'D')];
    expect(coalesce(entries)[0]?.title).toBe('1 post failed, 3 posts done');
  });
});

describe('createNotifier', () => {
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

  beforeEach(() => {
    resetElectronMock();
  });

  async function setup(mode: NotificationMode = 'failures') {
    const service = new FakeService({ headless: false });
    service.settings = { ...service.settings, notifications: mode };
    const clock = createFakeClock();
    const openTasks = vi.fn();
    const notifier = createNotifier({ service, clock, openTasks });
    await settle();
    return { service, clock, openTasks, notifier };
  }

  it('shows a notification when a task fails, after the burst window', async () => {
    const { service, clock } = await setup();
    const t = service.putTask({ status: 'running', itemTitle: 'Launch', dryRun: false });
    service.tasks.set(t.id, { ...t, status: 'failed', error: { kind: 'forbidden', message: 'Forbidden.' } });
    service.emit({ tasks: [service.tasks.get(t.id) as Task] });
    expect(Notification.instances).toHaveLength(0);
    clock.advance(BURST_MS);
    expect(Notification.instances.map((n) => [n.options.title, n.options.body, n.shown]))
      .toEqual([['Post failed: Launch', 'Forbidden.', true]]);
  });

  it('says nothing about tasks that were already there when it started', async () => {
    const service = new FakeService({ headless: false });
    service.putTask({ status: 'failed' });
    const clock = createFakeClock();
    createNotifier({ service, clock });
    await settle();
    clock.advance(BURST_MS * 2);
    expect(Notification.instances).toHaveLength(0);
  });

  it('coalesces a burst of failures into one notification', async () => {
    const { service, clock } = await setup();
    for (let i = 0; i < 6; i++) service.putTask({ status: 'failed', itemTitle: `Item ${i}` });
    clock.advance(BURST_MS);
    expect(Notification.instances.map((n) => n.options.title)).toEqual(['6 posts failed']);
  });

  it('follows the notifications setting as it changes', async () => {
    const { service, clock } = await setup('failures');
    service.putTask({ status: 'completed' });
    clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(0);
    await service.updateSettings({ notifications: 'all' });
    service.putTask({ status: 'completed', itemTitle: 'Done', text: 'Done!', dryRun: false });
    clock.advance(BURST_MS);
    expect(Notification.instances.map((n) => n.options.title)).toEqual(['Posted: Done']);
    await service.updateSettings({ notifications: 'off' });
    service.putTask({ status: 'failed' });
    clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(1);
  });

  it('shows nothing where the system has no notifications', async () => {
    const { service, clock } = await setup();
    Notification.supported = false;
    service.putTask({ status: 'failed' });
    clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(0);
  });

  it('opens the tasks window when a notification is clicked', async () => {
    const { service, clock, openTasks } = await setup();
    service.putTask({ status: 'failed' });
    clock.advance(BURST_MS);
    Notification.instances[0]?.emit('click');
    expect(openTasks).toHaveBeenCalledOnce();
  });

  it('drops a pending burst and stops listening when disposed', async () => {
    const { service, clock, notifier } = await setup();
    service.putTask({ status: 'failed' });
    notifier.dispose();
    clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(0);
    expect(service.listenerCount).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
