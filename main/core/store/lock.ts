import { randomBytes } from 'node:crypto';
import {
  closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync,
  unlinkSync, writeFileSync, writeSync,
} from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'crier.lock';
/** The mutex a stale lock is taken over in: a directory holding one file, named by its owner's token. */
export const TAKEOVER_DIR = `${LOCK_FILE}.takeover`;

/**
 * How far apart two readings of one boot's start may be when no boot id is at hand:
 * `Date.now() - os.uptime()` moves with the wall clock (an NTP step, a coarse uptime). A reboot
 * and a start of Crier always take longer, so a pid from an earlier boot is still told apart.
 */
const BOOT_TOLERANCE_MS = 30_000;
/** How long a start waits for another process that is inside the takeover, before giving up. */
const WAIT_LIMIT_MS = 5_000;
/**
 * An empty lock file this young is being written by a process that created it with open 'wx'
 * (a build before this one, or a filesystem without hard links): wait for its content.
 */
const EMPTY_GRACE_MS = 2_000;
/** Temp entries: `crier.lock.<pid>.<token>.tmp` (a lock file) and `crier.lock.takeover.<pid>.<token>.tmp`. */
const TEMP_ENTRY = /^crier\.lock\.(?:takeover\.)?(\d+)\.[0-9a-f]+\.tmp$/;

/** Data dirs this process holds, so a pid reused after a crash can be told from ourselves. */
const heldHere = new Set<string>();

export class StoreLockedError extends Error {
  constructor(readonly pid: number, readonly dir: string) {
    super(`Crier is already running with this data folder (pid ${pid}): ${dir}. Quit it first, or use another data folder.`);
    this.name = 'StoreLockedError';
  }
}

/**
 * Who wrote a lock (or owns the takeover mutex). A pid alone may name another process after a
 * reboot or a wrap-around, so the boot and, on Linux, the process start time are kept with it.
 */
export interface LockOwner {
  pid: number;
  /** `Date.now() - os.uptime()` when written, in ms. */
  boot?: number;
  /** Linux: /proc/sys/kernel/random/boot_id — exact, unlike `boot`. */
  bootId?: string;
  /** Linux: field 22 of /proc/<pid>/stat, clock ticks after boot. */
  start?: number;
}

export interface LockOptions {
  /** How long to wait for another process inside the takeover (default 5 s). */
  waitLimitMs?: number;
}

/**
 * Takes the data dir's lock file, or throws StoreLockedError when a live process holds it.
 * A lock whose owner is gone (kill -9, power loss, a reboot) is stale and taken over. Returns
 * the release function.
 *
 * How two starting processes are kept from both holding it:
 * - A new lock is written whole to a temp file, then hard-linked to `crier.lock`: link fails
 *   if the name exists, so exactly one creator wins and nobody ever reads a half-written lock
 *   (open 'wx' then write leaves an empty file another process could take for stale).
 * - A stale lock is replaced only inside the takeover mutex, and only if it still holds the
 *   very text judged stale (each lock carries a random token): whoever took it over first has
 *   changed that text, so a second taker sees a live lock instead of replacing it.
 */
export function acquireLock(dir: string, options: LockOptions = {}): () => void {
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(path)) throw new StoreLockedError(process.pid, dir);
  const text = lockText(thisProcess());
  const giveUpAt = performance.now() + (options.waitLimitMs ?? WAIT_LIMIT_MS);
  for (;;) {
    const step = tryAcquire(dir, path, text);
    if (step.kind === 'acquired') {
      heldHere.add(path);
      removeDeadTempEntries(dir);
      return () => release(path, text);
    }
    if (step.kind === 'refused') throw new StoreLockedError(step.pid, dir);
    if (performance.now() > giveUpAt) {
      if (step.pid !== null) throw new StoreLockedError(step.pid, dir);
      throw new Error(`Could not lock the data folder ${dir}: ${LOCK_FILE} stayed empty or busy. Quit any other Crier using it, then delete ${path}.`);
    }
    // 'retry': something changed under us, look again at once. 'wait': another process is
    // mid-takeover; a short random pause keeps racers from meeting again in step.
    if (step.kind === 'wait') sleep(2 + Math.random() * 8);
  }
}

type Step =
  | { kind: 'acquired' }
  | { kind: 'refused'; pid: number }
  | { kind: 'wait' | 'retry'; pid: number | null };

function tryAcquire(dir: string, path: string, text: string): Step {
  if (createExclusive(dir, path, text)) return { kind: 'acquired' };
  const seen = readText(path);
  if (seen === null) return { kind: 'retry', pid: null };
  const owner = parseOwner(seen);
  if (owner !== null && isRunning(owner)) return { kind: 'refused', pid: owner.pid };
  if (seen === '' && isYoung(path)) return { kind: 'wait', pid: null };
  return takeOver(dir, path, seen, text);
}

/** Creates the lock with its whole content, or returns false when a lock file is already there. */
function createExclusive(dir: string, path: string, text: string): boolean {
  const temp = writeTemp(dir, text);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    // No hard links here (FAT, some network shares): create-exclusive with open instead. Its
    // empty moment is covered by EMPTY_GRACE_MS.
    return createWithOpen(path, text);
  } finally {
    removeQuietly(temp);
  }
}

function createWithOpen(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (isCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Replaces the stale lock `seen` with ours, inside the takeover mutex.
 *
 * Why only one process can win: every taker holds the mutex while it re-reads the lock and
 * renames its own over it. Nobody else changes an existing lock file — a creator's link fails
 * while it exists, a live holder only removes its own, a dead one nothing — so the text read
 * inside the mutex is the text replaced. The first taker replaces `seen`; every later one
 * re-reads the winner's text, which differs from its `seen`, and goes round again to find a
 * live holder.
 */
function takeOver(dir: string, path: string, seen: string, text: string): Step {
  const mutex = enterTakeover(dir);
  if (mutex.kind !== 'entered') return mutex;
  try {
    if (readText(path) !== seen) return { kind: 'retry', pid: null };
    const temp = writeTemp(dir, text);
    try {
      renameSync(temp, path);
    } catch (error) {
      removeQuietly(temp);
      throw error;
    }
    return { kind: 'acquired' };
  } finally {
    leaveTakeover(dir, mutex.token);
  }
}

/**
 * Enters the takeover mutex `crier.lock.takeover/`, a directory that always holds exactly one
 * file, named by its owner's random token and saying who the owner is.
 *
 * - Entering: a staging dir with the owner file is renamed to the mutex name. The rename fails
 *   while a mutex with an owner is there (ENOTEMPTY/EEXIST), so one process enters at a time,
 *   and the owner file arrives with the directory: there is no moment with a held but
 *   ownerless mutex. (On Linux a rename replaces an *empty* directory, see below.)
 * - Leaving: the owner file is unlinked, then the empty directory removed.
 * - A mutex left by a process killed inside it is recovered without any timeout:
 *   - owner file present, owner dead: unlink that file *by its token name*. That is a
 *     compare-and-delete: it succeeds only while the dead owner's mutex is the one in place
 *     (tokens are never reused), and only for one of several processes trying it; a process
 *     that meanwhile entered a fresh mutex has a different token and is never touched.
 *     Renaming the whole mutex dir aside instead would not be safe: between judging it stale
 *     and the rename, another process may have cleared it and entered a fresh one, which the
 *     rename would then steal.
 *   - empty (killed between the unlink and the removal while leaving): remove the directory.
 *     A held mutex is never empty, so this never frees a held one; if a process renames its
 *     staging dir onto the empty one first, the removal fails with ENOTEMPTY and changes nothing.
 */
function enterTakeover(dir: string): { kind: 'entered'; token: string } | Step {
  const mutex = join(dir, TAKEOVER_DIR);
  const token = newToken();
  const staging = join(dir, `${TAKEOVER_DIR}.${process.pid}.${token}.tmp`);
  mkdirSync(staging);
  try {
    writeFileSync(join(staging, token), lockText(thisProcess()), { flag: 'wx' });
    renameSync(staging, mutex);
    return { kind: 'entered', token };
  } catch (error) {
    if (!isMutexBusy(error)) throw error;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return inspectTakeover(mutex);
}

function isMutexBusy(error: unknown): boolean {
  // Windows refuses to rename onto an existing directory with EPERM or EACCES.
  return isCode(error, 'ENOTEMPTY') || isCode(error, 'EEXIST')
    || (process.platform === 'win32' && (isCode(error, 'EPERM') || isCode(error, 'EACCES')));
}

/** Looks at a mutex that is in place: waits for a live owner, clears one whose owner is gone. */
function inspectTakeover(mutex: string): Step {
  let entries: string[];
  try {
    entries = readdirSync(mutex);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { kind: 'retry', pid: null };
    throw error;
  }
  for (const entry of entries) {
    const text = readText(join(mutex, entry));
    if (text === null) return { kind: 'retry', pid: null };
    const owner = parseOwner(text);
    if (owner !== null && isRunning(owner)) return { kind: 'wait', pid: owner.pid };
  }
  for (const entry of entries) removeQuietly(join(mutex, entry));
  removeDirQuietly(mutex);
  return { kind: 'retry', pid: null };
}

function leaveTakeover(dir: string, token: string): void {
  const mutex = join(dir, TAKEOVER_DIR);
  removeQuietly(join(mutex, token));
  removeDirQuietly(mutex);
}

function release(path: string, text: string): void {
  if (!heldHere.delete(path)) return;
  try {
    if (readFileSync(path, 'utf8') === text) unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

/**
 * The lock text: the pid alone on the first line, which is all the first builds read
 * (parseInt of the file), then the rest of the owner's identity and a random token as JSON.
 */
export function lockText(owner: LockOwner, token = newToken()): string {
  const { pid, ...identity } = owner;
  return `${pid}\n${JSON.stringify({ ...identity, token })}\n`;
}

/** Reads a lock text, including the first builds' bare "<pid>\n"; null when there is no pid. */
export function parseOwner(text: string): LockOwner | null {
  const newline = text.indexOf('\n');
  const pid = Number.parseInt(newline < 0 ? text : text.slice(0, newline), 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const owner: LockOwner = { pid };
  let details: unknown;
  try {
    details = JSON.parse(text.slice(newline + 1));
  } catch {
    return owner;
  }
  if (typeof details !== 'object' || details === null) return owner;
  const { boot, bootId, start } = details as Record<string, unknown>;
  if (typeof boot === 'number' && Number.isFinite(boot)) owner.boot = boot;
  if (typeof bootId === 'string' && bootId !== '') owner.bootId = bootId;
  if (typeof start === 'number' && Number.isInteger(start)) owner.start = start;
  return owner;
}

/** This process, as a lock records it. */
export function thisProcess(): LockOwner {
  const owner: LockOwner = { pid: process.pid, boot: Math.round(bootTime()) };
  const id = bootId();
  if (id !== undefined) owner.bootId = id;
  const start = startTicks(process.pid);
  if (start !== null) owner.start = start;
  return owner;
}

/**
 * True when the process that wrote the lock still runs: its pid is alive, and what else it
 * recorded (boot, start time) matches the process now behind that pid. Anything it did not
 * record (a lock from the first builds) or that cannot be read here is not held against it.
 */
export function isRunning(owner: LockOwner): boolean {
  if (owner.pid === process.pid) return isThisProcess(owner);
  if (!isAlive(owner.pid)) return false;
  if (!isThisBoot(owner)) return false;
  if (owner.start === undefined) return true;
  const start = startTicks(owner.pid);
  return start === null || start === owner.start;
}

/**
 * Our own pid in a lock we do not hold in this module: an earlier process that had our pid,
 * unless its start time is ours too (another copy of this module in this process, such as a
 * worker thread, holds it). Without a start time it is taken for the earlier process, as before.
 */
function isThisProcess(owner: LockOwner): boolean {
  if (owner.start === undefined || !isThisBoot(owner)) return false;
  return startTicks(process.pid) === owner.start;
}

function isThisBoot(owner: LockOwner): boolean {
  const id = bootId();
  if (owner.bootId !== undefined && id !== undefined) return owner.bootId === id;
  if (owner.boot === undefined) return true;
  return Math.abs(owner.boot - bootTime()) <= BOOT_TOLERANCE_MS;
}

function bootTime(): number {
  return Date.now() - uptime() * 1000;
}

let cachedBootId: string | undefined | null = null;

/** Linux's id of the current boot; undefined elsewhere. */
function bootId(): string | undefined {
  if (cachedBootId === null) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      cachedBootId = undefined;
    }
  }
  return cachedBootId;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and ')'. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Field 22 of /proc/<pid>/stat (the 20th after the name): start time in clock ticks after boot. */
function startTicks(pid: number): number | null {
  const start = Number(procStat(pid)?.[19]);
  return Number.isInteger(start) ? start : null;
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
  const state = procStat(pid)?.[0];
  return state === 'Z' || state === 'X';
}

/**
 * A process killed between writing a temp entry and removing it leaves it behind. Its name
 * carries the pid: once that pid is gone nobody can be using the entry (a new process with the
 * same pid picks a new token, so a new name).
 */
function removeDeadTempEntries(dir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const pid = Number(TEMP_ENTRY.exec(entry)?.[1]);
    if (pid > 0 && pid !== process.pid && !isAlive(pid)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

function writeTemp(dir: string, text: string): string {
  const temp = join(dir, `${LOCK_FILE}.${process.pid}.${newToken()}.tmp`);
  writeFileSync(temp, text, { flag: 'wx' });
  return temp;
}

function isYoung(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < EMPTY_GRACE_MS;
  } catch {
    return false;
  }
}

/** The file's text, or null when it is not there. */
function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null;
    throw error;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or someone else removed it: either way not ours to keep.
  }
}

function removeDirQuietly(path: string): void {
  try {
    rmdirSync(path);
  } catch {
    // Gone, or no longer empty because a process entered it: leave it to that process.
  }
}

function newToken(): string {
  return randomBytes(8).toString('hex');
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Blocks this thread: acquireLock is synchronous (openStore is). A host whose main thread may
 * not block in Atomics.wait (it throws there) gets a spin of the same few milliseconds.
 */
function sleep(ms: number): void {
  try {
    Atomics.wait(pause, 0, 0, ms);
  } catch {
    const until = performance.now() + ms;
    while (performance.now() < until) { /* spin */ }
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
