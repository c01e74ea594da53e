// X's posting budget through the account that may be OAuth 2.0: with no OAuth 2.0 account the
// keys beneath are the account, their budget shows and their changes reach the listener; an OAuth
// 2.0 account shows none until X answers one of its posts, and the listener stops when asked.
import { describe, expect, it } from 'vitest';
import type { AccountState } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { createOAuth2Account } from '../../main/core/oauth2-account';
import type { Logger } from '../../main/core/ports';
import { createQuotaBoard, quotaField } from '../../main/core/x/quota';
import type { SecretValueStore } from '../../main/core/x/oauth2/token-vault';
import { createFakeClock } from '../support/fake-clock';

const log: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const APP = { clientId: 'client-id-1', clientSecret: null };
const WINDOW = { window: { limit: 100, remaining: 99, resetsAt: '2026-06-01T00:15:00.000Z' } };

function storeOf(value: unknown): SecretValueStore {
  let held = value;
  return { read: async () => held, write: async (next: unknown) => { held = structuredClone(next); } };
}

function keysAccount() {
  const board = createQuotaBoard();
  const port: AccountPort = {
    client: () => null,
    state: (): Omit<AccountState, 'dryRun'> => ({ connected: true, handle: 'keys_account', method: 'oauth1', secretsProtected: true, ...quotaField(board) }),
    onQuotaChange: (listener) => board.onChange(listener),
    setHandle: () => {},
    connect: async () => {},
    disconnect: async () => {},
  };
  return { port, board };
}

const open = (base: AccountPort, stored: unknown) =>
  createOAuth2Account({ base, store: storeOf(stored), env: {}, log, clock: createFakeClock(Date.parse('2026-06-01T00:00:00Z')), secretsProtected: true });

describe("the budget of the account that may be OAuth 2.0", () => {
  it("shows the keys' budget and passes on its changes while no OAuth 2.0 account is connected", async () => {
    const keys = keysAccount();
    const a = open(keys.port, null);
    await a.restore();
    let heard = 0;
    const stop = a.onQuotaChange?.(() => { heard += 1; });
    keys.board.record(WINDOW, Date.parse('2026-06-01T00:00:00Z'));
    expect(a.state().quota).toMatchObject(WINDOW);
    expect(heard).toBe(1);
    stop?.();
    keys.board.record({ window: { ...WINDOW.window, remaining: 98 } }, Date.parse('2026-06-01T00:01:00Z'));
    expect(heard).toBe(1);
  });

  it("shows no budget for an OAuth 2.0 account X has not answered yet, whatever the keys' board holds", async () => {
    const keys = keysAccount();
    keys.board.record(WINDOW, Date.parse('2026-06-01T00:00:00Z'));
    const a = open(keys.port, {
      version: 1,
      accounts: { 'acct-1': { app: APP, handle: 'crier_oauth', tokens: { accessToken: 'AT', refreshToken: 'RT', expiresAt: Date.parse('2030-01-01T00:00:00Z'), scopes: ['tweet.write'] } } },
    });
    await a.restore();
    expect(a.state()).toMatchObject({ method: 'oauth2', handle: 'crier_oauth' });
    expect(a.state()).not.toHaveProperty('quota');
  });
});
