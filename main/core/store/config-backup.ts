// The previous save of a config file, `<file>.bak`: kept before every write, restored when the
// file itself is found damaged (a power loss can leave it empty), so damage costs the user at
// most their last change instead of their whole feed list.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { Logger } from '../ports';

export type ConfigRead =
  | { kind: 'missing' }
  | { kind: 'good'; bytes: Buffer }
  | { kind: 'damaged'; reason: string };

export const backupPath = (file: string): string => `${file}.bak`;

/** What a config file holds: nothing, a JSON object conf can read, or damage, with why in words. */
export function readConfig(file: string): ConfigRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'damaged', reason: `it could not be read: ${code ?? String(error)}` };
  }
  return judgeConfig(bytes);
}

/** Whether bytes read from a config file are a JSON object conf can read, or damage, with why in words. */
export function judgeConfig(bytes: Buffer): ConfigRead {
  if (bytes.length === 0) return { kind: 'damaged', reason: 'it was empty' };
  // conf skips a byte order mark (an editor may add one), so it is no damage here either.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { kind: 'damaged', reason: 'it held only blank space' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'it was not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { kind: 'damaged', reason: 'its JSON was not an object' };
  }
  return { kind: 'good', bytes };
}

/**
 * Copies the file as it is now to `<file>.bak`, before a write replaces it. A damaged file is not
 * copied, so the last good save survives a bad hand edit made while Crier runs. Failing to keep
 * the copy is logged and does not stop the write: losing the user's change would be worse.
 */
export function keepPreviousSave(file: string, log: Logger): void {
  const current = readConfig(file);
  if (current.kind === 'missing') return;
  if (current.kind === 'damaged') {
    log.warn('config file damaged before a save; its previous save is kept as it was', { file, reason: current.reason });
    return;
  }
  try {
    replaceFile(backupPath(file), current.bytes);
  } catch (error) {
    log.warn('could not keep the previous save of a config file', { file, error: String(error) });
  }
}

/**
 * Writes `bytes` to `file` through `<file>.tmp`, synced before the rename, so `file` always holds
 * either its old content or all of the new: a copy that a power loss could empty would be no backup.
 */
export function replaceFile(file: string, bytes: Buffer): void {
  const tmp = `${file}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** The asynchronous file calls a write off the event loop makes; tests pass a recording one. */
export interface AsyncFiles {
  readFile(file: string): Promise<Buffer>;
  open(file: string, flags: 'w'): Promise<{ writeFile(data: Buffer): Promise<void>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string, options: { force: true }): Promise<void>;
}

export const nodeAsyncFiles: AsyncFiles = {
  readFile: (file) => fsp.readFile(file),
  open: (file, flags) => fsp.open(file, flags),
  rename: (from, to) => fsp.rename(from, to),
  rm: (file, options) => fsp.rm(file, options),
};

/** replaceFile off the event loop: `<file>.tmp` written and synced, then renamed over `file`. */
export async function replaceFileAsync(file: string, bytes: Buffer, fs: AsyncFiles): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * keepPreviousSave off the event loop, with the same rules. `written` is what the last write put
 * in the file: when the file still holds exactly that, it is known good without parsing it (a
 * 1,000-feed list is ~300 KB of JSON); only a file changed behind Crier's back is judged.
 */
export async function keepPreviousSaveAsync(file: string, written: Buffer | null, log: Logger, fs: AsyncFiles): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    log.warn('config file damaged before a save; its previous save is kept as it was', { file, reason: `it could not be read: ${code ?? String(error)}` });
    return;
  }
  if (written === null || !bytes.equals(written)) {
    const judged = judgeConfig(bytes);
    if (judged.kind === 'damaged') {
      log.warn('config file damaged before a save; its previous save is kept as it was', { file, reason: judged.reason });
      return;
    }
  }
  try {
    await replaceFileAsync(backupPath(file), bytes, fs);
  } catch (error) {
    log.warn('could not keep the previous save of a config file', { file, error: String(error) });
  }
}
