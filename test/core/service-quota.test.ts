// X's posting budget reaches the pages through the account: in the snapshot, and as an account
// delta when a number changes — none for an answer that changed nothing, none after close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateDelta } from '../../preload/contract';
import type { AccountPort } from '../../main/core/account';
import { createFeedParser } from '../../main/core/feeds/executor';
import { silentLogger } from '../../main/core/ports';
import { createAppService, type EngineService } from '../../main/core/service';
import { openStore } from '../../main/core/store/index';
import { createQuotaBoard, quotaField, type QuotaBoard } from '../../main/core/x/quota';
import { createFakeClock } from '../support/fake-clock';

let dir: string;
let service: EngineService;
let board: QuotaBoard;
let deltas: StateDelta[];

const window = (remaining: number) => ({ window: { limit: 100, remaining, resetsAt: '2026-01-15T12:15:00.000Z' } });
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crier-quota-'));
  const clock = createFakeClock();
  board = createQuotaBoard();
  const account: AccountPort = {
    client: () => null,
    state: () => ({ connected: true, handle: 'crier', method: 'oauth1', secretsProtected: true, ...quotaField(board) }),
    onQuotaChange: (listener) => board.onChange(listener),
    setHandle() {},
    connect: async () => {},
    disconnect: async () => {},
  };
  service = createAppService({ clock, log: silentLogger, store: openStore(dir, { clock, log: silentLogger }), parser: createFeedParser({ workers: 1 }), account, random: () => 0.5 });
  deltas = [];
  service.onDelta((d) => deltas.push(d));
});

afterEach(async () => {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("X's posting budget in the state", () => {
  it('is absent before X has said anything, then in the snapshot', async () => {
    expect((await service.getState()).account).not.toHaveProperty('quota');
    board.record(window(98), Date.UTC(2026, 0, 15, 12, 1));
    expect((await service.getState()).account.quota).toEqual({ ...window(98), user24h: null, app24h: null, updatedAt: '2026-01-15T12:01:00.000Z' });
  });

  it('goes out as an account delta when a number changes, and not for an answer that changed none', async () => {
    board.record(window(98), Date.UTC(2026, 0, 15, 12, 1));
    await settle();
    board.record(window(98), Date.UTC(2026, 0, 15, 12, 2));
    await settle();
    board.record(window(97), Date.UTC(2026, 0, 15, 12, 3));
    await settle();
    const remaining = deltas.filter((d) => d.account).map((d) => d.account?.quota?.window?.remaining);
    expect(remaining).toEqual([98, 97]);
  });

  it('stops listening once closed', async () => {
    await service.close();
    board.record(window(50), Date.UTC(2026, 0, 15, 12, 1));
    await settle();
    expect(deltas.filter((d) => d.account)).toEqual([]);
  });
});
