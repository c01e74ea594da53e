// What the accounts' queues remember together: each saves only its own part of the post ledger and
// of the posted texts, so two queues saving in turn never write over each other.
import { describe, expect, it } from 'vitest';
import { accountMemory, memoryPauseBook, mergeAccountLedger, mergeAccountTexts, textsOfAccount } from '../../../main/core/tasks/account-memory';
import { memoryQueueMemory } from '../../../main/core/tasks/types';

const day = { live: 1, dry: 0, withLink: 1 };

describe('one account’s part of the queues’ memory', () => {
  it('merges an account’s ledger lines into the record as it stands, leaving the other accounts’ lines', () => {
    const base = { '2026-12-01': { default: day, 'other-a': { ...day, live: 5 } } };
    const next = { '2026-12-01': { 'other-a': { ...day, live: 6 } }, '2026-12-02': { 'other-a': day } };
    expect(mergeAccountLedger(base, next, 'other-a')).toEqual({
      '2026-12-01': { default: day, 'other-a': { ...day, live: 6 } }, '2026-12-02': { 'other-a': day },
    });
  });

  it('drops a day left with no account’s line', () => {
    expect(mergeAccountLedger({ '2026-10-01': { 'other-a': day } }, {}, 'other-a')).toEqual({});
  });

  it('keeps the default account’s texts without an account field, as builds before several accounts wrote them', () => {
    const mine = [{ hash: 'a'.repeat(32), at: '2026-12-01T10:00:00.000Z' }];
    const all = mergeAccountTexts(mergeAccountTexts([], mine, 'default'), [{ hash: 'b'.repeat(32), at: '2026-12-01T11:00:00.000Z' }], 'other-a');
    expect(all).toEqual([mine[0], { hash: 'b'.repeat(32), at: '2026-12-01T11:00:00.000Z', accountId: 'other-a' }]);
    expect(textsOfAccount(all, 'default')).toEqual(mine);
    expect(textsOfAccount(all, 'other-a')).toEqual([{ hash: 'b'.repeat(32), at: '2026-12-01T11:00:00.000Z' }]);
  });

  it('lets two accounts save in turn from stale copies without losing either’s posts', () => {
    const shared = memoryQueueMemory();
    const pauses = memoryPauseBook(shared);
    const a = accountMemory(shared, pauses, 'default');
    const b = accountMemory(shared, pauses, 'other-b');
    const staleA = a.loadLedger() ?? {};
    const staleB = b.loadLedger() ?? {};
    a.saveLedger({ ...staleA, '2026-12-01': { default: day } });
    b.saveLedger({ ...staleB, '2026-12-01': { 'other-b': day } });
    expect(shared.loadLedger()).toEqual({ '2026-12-01': { default: day, 'other-b': day } });
  });

  it('keeps each account’s pause apart, the default one’s where builds before kept it', () => {
    const shared = memoryQueueMemory();
    const pauses = memoryPauseBook(shared);
    accountMemory(shared, pauses, 'other-b').savePause({ reason: 'user', resumesAt: null, credentials: null });
    expect(shared.loadPause()).toBeNull();
    accountMemory(shared, pauses, 'default').savePause({ reason: 'auth', resumesAt: null, credentials: 'x' });
    expect(shared.loadPause()).toMatchObject({ reason: 'auth' });
    expect(accountMemory(shared, pauses, 'other-b').loadPause()).toMatchObject({ reason: 'user' });
  });
});
