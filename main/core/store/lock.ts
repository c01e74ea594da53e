import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'crier.lock';

/** Data dirs this process holds, so a pid reused after a crash can be told from ourselves. */
const heldHere = new Set<string>();

export class StoreLockedError extends Error {
  constructor(readonly pid: number, readonly dir: string) {
    super(`Crier is already running with this data folder (pid ${pid}): ${dir}. Quit it first, or use another data folder.`);
    this.name = 'StoreLockedError';
  }
}

/**
 * Takes the data dir's pid-file lock, or throws StoreLockedError when a live process holds it.
 * A lock whose pid is gone (kill -9, power loss) is stale and taken over. Returns the release function.
 */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(path)) throw new StoreLockedError(process.pid, dir);
  for (let attempt = 0; ; attempt += 1) {
    try {
      // 'wx' is create-exclusive: of two processes starting together exactly one wins.
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      heldHere.add(path);
      return () => release(path);
    } catch (error) {
      if (!isCode(error, 'EEXIST') || attempt >= 2) throw error;
    }
    const holder = readPid(path);
    if (holder !== null && holder !== process.pid && isAlive(holder)) throw new StoreLockedError(holder, dir);
    try {
      unlinkSync(path);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
    }
  }
}

function release(path: string): void {
  if (!heldHere.delete(path)) return;
  try {
    if (readPid(path) === process.pid) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function readPid(path: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the pid exists but belongs to someone else — still alive.
    return isCode(error, 'EPERM');
  }
  return !isZombie(pid);
}

/**
 * A process killed with -9 stays a zombie until its parent reaps it, and kill(pid, 0) still
 * answers for a zombie: on Linux its state in /proc tells that it is gone.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
