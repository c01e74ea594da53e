// Review mode in the desktop shell: the tray says how many posts wait for review (and opens the
// tasks window from there), and new posts to review make one notification per poll, however many.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationMode, Task } from '../../preload/contract';
import { BURST_MS, createNotifier, reviewNotification } from '../../main/electron/notifications';
import { renderTrayMenu, trayTooltip } from '../../main/electron/tray-menu';
import { createFakeClock } from '../support/fake-clock';
import { FakeService } from '../support/fake-service';
import { Notification, resetElectronMock } from '../mocks/electron';
import { queueState, snapshot, task } from './tray-state';

describe('the tray with posts to review', () => {
  it('shows "N to review" first among the counts, opening the tasks window, and says it in the tooltip', () => {
    const state = snapshot({ queue: queueState({ counts: { review: 3, pending: 2 } }) });
    const items = renderTrayMenu(state, { platform: 'win32' });
    const review = items.findIndex((i) => i.type === 'normal' && i.label === '3 to review');
    expect(items[review]).toEqual({ type: 'normal', label: '3 to review', enabled: true, action: 'open-tasks' });
    expect(review).toBeLessThan(items.findIndex((i) => i.type === 'normal' && i.label.startsWith('Pending ')));
    expect(trayTooltip(state)).toBe('Crier — 3 to review, 2 pending');
  });

  it('shows no review line when none wait, nor for a snapshot of a build without the count', () => {
    const none = renderTrayMenu(snapshot({ queue: queueState({ counts: { review: 0 } }) }), { platform: 'win32' });
    const { review: _omit, ...older } = queueState().counts;
    const old = renderTrayMenu(snapshot({ queue: { ...queueState(), counts: older } }), { platform: 'win32' });
    for (const items of [none, old]) expect(items.some((i) => i.type === 'normal' && i.label.endsWith('to review'))).toBe(false);
  });
});

describe('reviewNotification', () => {
  const inReview = (title: string): Task => task({ status: 'review', itemTitle: title });

  it.each<[NotificationMode, number, string | null]>([
    ['all', 1, '1 post to review'],
    ['failures', 3, '3 posts to review'],
    ['all', 1200, '1,200 posts to review'],
    ['off', 3, null],
  ])('in %s mode, for %i new posts: %s', (mode, count, title) => {
    const arrived = Array.from({ length: count }, (_, i) => inReview(`Item ${i + 1}`));
    expect(reviewNotification(arrived, mode)?.title ?? null).toBe(title);
  });

  it('names the first three items in the body', () => {
    const body = reviewNotification(['A', 'B', 'C', 'D'].map(inReview), 'all')?.body;
    expect(body).toBe("Approve or skip in Crier's tasks: A; B; C; …");
  });
});

describe('the notifier with posts to review', () => {
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  beforeEach(() => resetElectronMock());

  async function setup(mode: NotificationMode) {
    const service = new FakeService({ headless: false });
    service.settings = { ...service.settings, notifications: mode };
    const clock = createFakeClock();
    const notifier = createNotifier({ service, clock, openTasks: vi.fn() });
    await settle();
    return { service, clock, notifier };
  }

  it('shows one notification for a poll that brought three posts to review', async () => {
    const { service, clock, notifier } = await setup('failures');
    const arrived = ['One', 'Two', 'Three'].map((itemTitle) => task({ status: 'review', itemTitle }));
    for (const t of arrived) service.tasks.set(t.id, t);
    service.emit({ tasks: arrived });
    clock.advance(BURST_MS);
    expect(Notification.instances.map((n) => [n.options.title, n.options.body]))
      .toEqual([['3 posts to review', "Approve or skip in Crier's tasks: One; Two; Three"]]);
    notifier.dispose();
  });

  it('says nothing when a skip is undone (the task is back in review, not new), nor with notifications off', async () => {
    const { service, clock, notifier } = await setup('all');
    const t = task({ status: 'cancelled', skipped: true });
    service.tasks.set(t.id, t);
    service.emit({ tasks: [t] });
    clock.advance(BURST_MS);
    service.emit({ tasks: [{ ...t, status: 'review' }] });
    clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(0);
    notifier.dispose();

    resetElectronMock();
    const off = await setup('off');
    off.service.emit({ tasks: [task({ status: 'review' })] });
    off.clock.advance(BURST_MS);
    expect(Notification.instances).toHaveLength(0);
    off.notifier.dispose();
  });
});
