// Sleep and wake: the plan for polls after a wake, the headless wall-clock detector, and the
// engine re-planning through wake() on a real store with the injected clock.
import { describe, expect, it, vi } from 'vitest';
import { planAfterWake, WAKE_SPREAD_MS } from '../../main/core/feeds/wake-plan';
import { startWakeDetector } from '../../main/core/wake-detector';
import { createHarness, MINUTE } from './tasks/queue-harness';
import { makeTask } from './tasks/task-fixtures';

const NOW = Date.parse('2026-12-02T08:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

describe('the poll plan after a wake', () => {
  it('runs overdue polls within seconds, spread out, and keeps the others\' times', () => {
    const plan = planAfterWake([
      { feedId: 'a', nextPollAt: iso(NOW - 3 * 60 * MINUTE) },
      { feedId: 'b', nextPollAt: iso(NOW + 10 * MINUTE) },
      { feedId: 'c', nextPollAt: iso(NOW - MINUTE) },
      { feedId: 'd', nextPollAt: null },
    ], NOW);
    const overdue = plan.filter((p) => p.overdue);
    expect(overdue.map((p) => p.feedId)).toEqual(['a', 'c', 'd']);
    for (const p of overdue) expect(p.atMs - NOW).toBeLessThanOrEqual(5_000);
    expect(new Set(overdue.map((p) => p.atMs)).size).toBe(3);
    expect(Math.max(...overdue.map((p) => p.atMs)) - NOW).toBe(WAKE_SPREAD_MS);
    expect(plan.find((p) => p.feedId === 'b')).toEqual({ feedId: 'b', atMs: NOW + 10 * MINUTE, overdue: false });
  });

  it('runs a single overdue feed at once', () => {
    expect(planAfterWake([{ feedId: 'a', nextPollAt: iso(NOW - 1) }], NOW)).toEqual([{ feedId: 'a', atMs: NOW, overdue: true }]);
  });
});

describe('the headless wake detector', () => {
  function drive(): { tick(wallMs: number): void; onWake: ReturnType<typeof vi.fn> } {
    let wall = NOW;
    let fire: () => void = () => {};
    const onWake = vi.fn();
    startWakeDetector({ now: () => wall, setInterval: (fn) => { fire = fn; return () => {}; }, onWake });
    return { onWake, tick(ms) { wall += ms; fire(); } };
  }

  it('says nothing while the checks come on time, or a little late', () => {
    const d = drive();
    d.tick(10_000);
    d.tick(14_000);
    expect(d.onWake).not.toHaveBeenCalled();
  });

  it('calls a wall-clock jump of more than 5 s past the period a wake', () => {
    const d = drive();
    d.tick(10_000);
    d.tick(3_600_000);
    expect(d.onWake).toHaveBeenCalledOnce();
    expect(d.onWake).toHaveBeenCalledWith(3_590_000);
  });
});

describe('the queue after a wake', () => {
  it('ends a rate-limit pause whose reset passed while its timer slept, and posts', async () => {
    const h = createHarness({ tasks: [makeTask({ id: 'a' })], settings: { minPostGapSeconds: 0 } });
    const resetAt = h.clock.now() + 5 * MINUTE;
    h.x.reply({ fail: { kind: 'rate-limited', message: '429', httpStatus: 429, resetAt } });
    h.queue.start();
    await h.clock.settle();
    expect(h.queue.state().pauseReason).toBe('rate-limited');
    expect(h.x.calls).toHaveLength(1);
    // Asleep for an hour before the reset was due: the resume timer is now an hour late.
    h.clock.sleep(60 * MINUTE);
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(1);
    h.queue.wake();
    await h.clock.settle();
    expect(h.x.calls).toHaveLength(2);
    expect(h.queue.state().paused).toBe(false);
  });
});

describe('the engine after a wake', () => {
  it('polls an overdue feed within 5 s and makes its next check true again', async () => {
    const { createAppService } = await import('../../main/core/service');
    const { openStore } = await import('../../main/core/store/index');
    const { createFeedParser } = await import('../../main/core/feeds/executor');
    const { silentLogger } = await import('../../main/core/ports');
    const { createFakeClock } = await import('../support/fake-clock');
    const { rssDocument, startFeedServer } = await import('../support/feed-server');
    const { tempDir } = await import('./store/store-fixtures');
    const { dryAccount } = await import('../support/dry-account');
    const server = await startFeedServer({ '/feed.xml': { body: () => rssDocument({ title: 'News', items: [{ title: 'One', link: 'https://example.com/1', guid: '1' }] }) } });
    const clock = createFakeClock(NOW);
    const service = createAppService({
      clock, log: silentLogger, store: openStore(tempDir(), { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }),
      account: dryAccount(),
      random: () => 0.5,
    });
    try {
      service.start();
      await service.addFeed({ url: server.url('/feed.xml'), intervalMinutes: 30 });
      await vi.waitFor(async () => expect((await service.getState()).feeds[0]?.health.lastStatus).toBe(200));
      expect(server.requestsTo('/feed.xml')).toHaveLength(1);

      clock.sleep(3 * 60 * MINUTE);
      await clock.settle();
      expect(server.requestsTo('/feed.xml')).toHaveLength(1);
      service.wake();
      const planned = Date.parse((await service.getState()).feeds[0]!.health.nextPollAt!);
      expect(planned - clock.now()).toBeLessThanOrEqual(5_000);
      expect(planned).toBeGreaterThanOrEqual(clock.now());
      await clock.tick(5_000);
      await vi.waitFor(() => expect(server.requestsTo('/feed.xml')).toHaveLength(2));
    } finally {
      await service.close();
      await server.close();
    }
  });
});
