// The fake clock is shared by other suites; these pin the behaviour they rely on.
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../support/fake-clock';

describe('fake clock', () => {
  it('fires timers in due order, ties in the order they were set, each at its due time', () => {
    const clock = createFakeClock(1000);
    const fired: [string, number][] = [];
    clock.setTimeout(() => fired.push(['b', clock.now()]), 50);
    clock.setTimeout(() => fired.push(['a', clock.now()]), 10);
    clock.setTimeout(() => fired.push(['c', clock.now()]), 50);
    clock.advance(100);
    expect(fired).toEqual([['a', 1010], ['b', 1050], ['c', 1050]]);
    expect(clock.now()).toBe(1100);
  });

  it('fires timers set by other timers when they fall due within the advance', () => {
    const clock = createFakeClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => { fired.push(clock.now()); clock.setTimeout(() => fired.push(clock.now()), 30); }, 20);
    clock.advance(49);
    expect(fired).toEqual([20]);
    clock.advance(1);
    expect(fired).toEqual([20, 50]);
  });

  it('does not fire a cancelled timer', () => {
    const clock = createFakeClock(0);
    let fired = false;
    const cancel = clock.setTimeout(() => { fired = true; }, 10);
    cancel();
    clock.runAll();
    expect(fired).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('stops runAll when a timer re-arms itself forever', () => {
    const clock = createFakeClock(0);
    const loop = (): void => { clock.setTimeout(loop, 1); };
    loop();
    expect(() => clock.runAll(100)).toThrow(/still firing/);
  });

  it('lets promise chains started by a timer settle before the next timer fires', async () => {
    const clock = createFakeClock(0);
    const log: string[] = [];
    clock.setTimeout(() => { void Promise.resolve().then(() => Promise.resolve()).then(() => log.push('chain')); }, 10);
    clock.setTimeout(() => log.push('second'), 10);
    await clock.tick(10);
    expect(log).toEqual(['chain', 'second']);
  });
});
