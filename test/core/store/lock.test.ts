import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore, StoreLockedError } from '../../../main/core/store';
import { LOCK_FILE } from '../../../main/core/store/lock';
import { createFakeClock } from '../../support/fake-clock';
import { tempDir } from './store-fixtures';

const options = () => ({ clock: createFakeClock(), log: silentLogger });

/** The pid of a process that has run and exited, so nothing holds it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 0;
}

describe('data dir lock', () => {
  it('writes a pid file while open and removes it on close', async () => {
    const dir = tempDir();
    const store = openStore(dir, options());
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    await store.close();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock left by a process that no longer runs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${await deadPid()}\n`);
    const store = openStore(dir, options());
    await store.close();
  });

  it.skipIf(process.platform !== 'linux')('takes over a lock held by a killed process that its parent has not reaped yet', async () => {
    // sh starts a short sleep, then becomes a long sleep that never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0.1 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number.parseInt(await new Promise<string>((resolve) => parent.stdout.once('data', (c: Buffer) => resolve(c.toString()))), 10);
      await expect.poll(() => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0], { timeout: 5000 }).toBe('Z');
      const dir = tempDir();
      writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
      await openStore(dir, options()).close();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('takes over a lock file that holds no readable pid', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), 'garbage');
    await openStore(dir, options()).close();
  });

  it('refuses to open a data dir that a live process holds, naming its pid', () => {
    const dir = tempDir();
    // Our parent (the test runner) is alive and is not us.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => openStore(dir, options())).toThrow(StoreLockedError);
    expect(() => openStore(dir, options())).toThrow(`Crier is already running with this data folder (pid ${process.ppid})`);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('refuses a second open of the same data dir within one process', async () => {
    const dir = tempDir();
    const store = openStore(dir, options());
    expect(() => openStore(dir, options())).toThrow(/already running/);
    await store.close();
    await openStore(dir, options()).close();
  });
});
