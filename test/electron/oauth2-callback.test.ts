import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetElectronMock, shell } from '../mocks/electron';
import { CommandError } from '../../main/core/errors';
import type { Logger } from '../../main/core/ports';
import { createDesktopOAuth2Callback, type DesktopOAuth2Callback } from '../../main/electron/oauth2-callback';

const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let callback: DesktopOAuth2Callback | null = null;
beforeEach(() => resetElectronMock());
let blocker: Server | null = null;
afterEach(async () => {
  await callback?.close();
  callback = null;
  await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
  blocker = null;
});

function make(port: number | undefined) {
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  callback = createDesktopOAuth2Callback({
    redirectPort: async () => port,
    openExternal: (url) => shell.openExternal(url),
    log,
    schedule(fn, ms) {
      const timer = { fn, ms, cancelled: false };
      timers.push(timer);
      return () => { timer.cancelled = true; };
    },
  });
  return { callback, timers, live: () => timers.filter((t) => !t.cancelled) };
}

describe('the desktop OAuth 2.0 callback', () => {
  it('listens on 127.0.0.1 for the login, answers X\'s redirect with the outcome, and closes after it', async () => {
    const { callback: cb, live } = make(0);
    const finish = vi.fn(async (query: URLSearchParams) => ({ ok: query.get('state') === 's1', message: 'Connected @crier_test with OAuth 2.0.' }));
    const redirectUri = await cb.open(finish);
    const port = cb.listening();
    expect(redirectUri).toBe(`http://127.0.0.1:${port}/oauth2/callback`);
    // The login's 10 minutes: the server goes with it.
    expect(live().map((t) => t.ms)).toEqual([600_000]);

    const res = await fetch(`${redirectUri}?state=s1&code=c1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Connected @crier_test with OAuth 2.0.');
    expect(finish.mock.calls[0]![0].get('code')).toBe('c1');

    // Answered: the 10-minute close gives way to one right after the page went out.
    const [closeSoon] = live();
    expect(closeSoon!.ms).toBe(1000);
    closeSoon!.fn();
    await vi.waitFor(() => expect(cb.listening()).toBeNull());
    await expect(fetch(redirectUri)).rejects.toThrow();
  });

  it('opens the system browser on an https page only', async () => {
    const { callback: cb } = make(0);
    await cb.launch('https://x.com/i/oauth2/authorize?client_id=a');
    expect(shell.openExternal).toHaveBeenCalledWith('https://x.com/i/oauth2/authorize?client_id=a');
    await expect(cb.launch('file:///etc/passwd')).rejects.toBeInstanceOf(CommandError);
    expect(shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('says which port is taken and what to do, naming the setting', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const { callback: cb } = make(port);
    const err = await cb.open(async () => ({ ok: true, message: '' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'conflict', field: 'oauth2RedirectPort', message: expect.stringContaining(`Port ${port} on 127.0.0.1 is taken`) });
    expect(cb.listening()).toBeNull();
  });
});
