// One account's view of what the queues remember together (several accounts, issue 16). Each
// account's queue keeps its own pause, its own lines of the post ledger and its own posted texts
// (a text posted on one account may go out on another), but the ledger and the texts are one
// record each on disk: a queue saving its copy must not write over the others' newer entries, so
// a save merges only the account's own part into the record as it stands.
import { DEFAULT_ACCOUNT_ID } from '../../../preload/contract';
import type { PostLedger } from './post-ledger';
import type { PostedTexts } from './posted-texts';
import type { QueueMemory, SavedPause } from './types';

/** Where each account's pause is kept; the default account's is the record builds before several accounts wrote. */
export interface PauseBook {
  load(accountId: string): SavedPause | null;
  save(accountId: string, pause: SavedPause | null): void;
}

const ownerOf = (entry: { accountId?: string | undefined }): string => entry.accountId ?? DEFAULT_ACCOUNT_ID;

/** `base` with `accountId`'s lines replaced by those of `next` (days without any line dropped). */
export function mergeAccountLedger(base: PostLedger, next: PostLedger, accountId: string): PostLedger {
  const out: PostLedger = {};
  for (const day of new Set([...Object.keys(base), ...Object.keys(next)])) {
    const lines = { ...base[day] };
    const own = next[day]?.[accountId];
    if (own === undefined) delete lines[accountId];
    else lines[accountId] = own;
    if (Object.keys(lines).length > 0) out[day] = lines;
  }
  return out;
}

/** The entries of `accountId`, as the queue knows them (no account field). */
export function textsOfAccount(all: PostedTexts, accountId: string): PostedTexts {
  return all.filter((e) => ownerOf(e) === accountId).map(({ accountId: _owner, ...entry }) => entry);
}

/** `all` with `accountId`'s entries replaced by `next`; the default account's are kept without the field, as older builds wrote them. */
export function mergeAccountTexts(all: PostedTexts, next: PostedTexts, accountId: string): PostedTexts {
  const others = all.filter((e) => ownerOf(e) !== accountId);
  const own = accountId === DEFAULT_ACCOUNT_ID ? next : next.map((e) => ({ ...e, accountId }));
  return [...others, ...own];
}

export function accountMemory(shared: QueueMemory, pauses: PauseBook, accountId: string): QueueMemory {
  return {
    loadPause: () => pauses.load(accountId),
    savePause: (pause) => pauses.save(accountId, pause),
    loadLedger: () => shared.loadLedger(),
    saveLedger: (next) => shared.saveLedger(mergeAccountLedger(shared.loadLedger() ?? {}, next, accountId)),
    loadTexts() {
      const all = shared.loadTexts();
      return all === undefined ? undefined : textsOfAccount(all, accountId);
    },
    saveTexts: (next) => shared.saveTexts(mergeAccountTexts(shared.loadTexts() ?? [], next, accountId)),
  };
}

/** For tests and callers without a store: every account's pause in memory, the default's in `shared`. */
export function memoryPauseBook(shared: QueueMemory): PauseBook {
  const others = new Map<string, SavedPause | null>();
  return {
    load: (accountId) => (accountId === DEFAULT_ACCOUNT_ID ? shared.loadPause() : others.get(accountId) ?? null),
    save(accountId, pause) {
      if (accountId === DEFAULT_ACCOUNT_ID) shared.savePause(pause);
      else others.set(accountId, pause);
    },
  };
}
