// Compact mode: more tasks on a screen (one line of post text, tighter rows). The choice is kept
// in localStorage, per window origin; storage that refuses (private mode, quota) only forgets it.
const KEY = 'crier.tasks.compact';

export function loadCompact(storage: Pick<Storage, 'getItem'> | null): boolean {
  try { return storage?.getItem(KEY) === '1'; } catch { return false; }
}

export function saveCompact(storage: Pick<Storage, 'setItem'> | null, on: boolean): void {
  try { storage?.setItem(KEY, on ? '1' : '0'); } catch { /* not kept: the mode still applies now */ }
}
