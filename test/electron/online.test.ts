import { describe, expect, it, vi } from 'vitest';
import { ONLINE_POLL_MS, watchOnline } from '../../main/electron/online';
import { silentLogger } from '../../main/core/ports';
import { createFakeClock } from '../support/fake-clock';

function setup(initially: boolean) {
  const clock = createFakeClock();
  let online = initially;
  const setOffline = vi.fn();
  const watcher = watchOnline({ isOnline: () => online, setOffline, clock, log: silentLogger });
  return { clock, setOffline, watcher, set: (v: boolean) => { online = v; } };
}

describe('the online watcher', () => {
  it('says nothing while the network stays up', () => {
    const { clock, setOffline } = setup(true);
    clock.advance(ONLINE_POLL_MS * 5);
    expect(setOffline).not.toHaveBeenCalled();
  });

  it('reports offline at once when the app starts without a network', () => {
    const { setOffline } = setup(false);
    expect(setOffline).toHaveBeenCalledWith(true);
  });

  it('reports each change at the next check, every 30 seconds', () => {
    const { clock, setOffline, set } = setup(true);
    set(false);
    clock.advance(ONLINE_POLL_MS - 1);
    expect(setOffline).not.toHaveBeenCalled();
    clock.advance(1);
    expect(setOffline).toHaveBeenLastCalledWith(true);
    clock.advance(ONLINE_POLL_MS);
    expect(setOffline).toHaveBeenCalledTimes(1);
    set(true);
    clock.advance(ONLINE_POLL_MS);
    expect(setOffline).toHaveBeenLastCalledWith(false);
    expect(setOffline).toHaveBeenCalledTimes(2);
  });

  it('stops checking when stopped', () => {
    const { clock, setOffline, watcher, set } = setup(true);
    watcher.stop();
    set(false);
    clock.advance(ONLINE_POLL_MS * 3);
    expect(setOffline).not.toHaveBeenCalled();
    expect(clock.pendingTimers()).toBe(0);
  });
});
