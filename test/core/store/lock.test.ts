import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/core/ports';
import { openStore, StoreLockedError } from '../../../main/core/store';
import { acquireLock, LOCK_FILE, lockText, type LockOwner, TAKEOVER_DIR } from '../../../main/core/store/lock';
import { createFakeClock } from '../../support/fake-clock';
import { bundleLockModule, holdLockInChild, LOCK_SOURCE, LockRace, staleLockDirs } from '../../support/lock-race';
import { tempDir } from './store-fixtures';

const options = () => ({ clock: createFakeClock(), log: silentLogger });

// The lock module alone, bundled for the child processes that race for it.
let bundleDir = '';
let lockModule = '';
beforeAll(async () => {
  bundleDir = mkdtempSync(join(tmpdir(), 'crier-lock-bundle-'));
  lockModule = await bundleLockModule(LOCK_SOURCE, join(bundleDir, 'lock.mjs'));
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));

/** The pid of a process that has run and exited, so nothing holds it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid ?? 0;
}

const onLinux = process.platform === 'linux';
const DAY_MS = 86_400_000;

/** What a lock records for a running process, read here independently of the module (Linux). */
function linuxIdentity(pid: number): LockOwner {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return {
    pid,
    boot: Date.now() - uptime() * 1000,
    bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim(),
    start: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]),
  };
}

/** Takes the lock and releases it at once; throws what acquireLock throws. */
function takeAndRelease(dir: string): void {
  acquireLock(dir)();
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

describe('data dir lock, several processes at once', () => {
  it('takes over a stale lock in exactly one of three racing processes, round after round', async () => {
    const rounds = 20;
    // Half the stale locks as this build writes them, half as the first builds did ("<pid>\n").
    const dirs = await staleLockDirs(lockModule, rounds, (index) => index % 2 === 1);
    const race = await LockRace.start({ lockModule, racers: 3, holdMs: 20 });
    try {
      for (const dir of dirs) {
        const result = await race.round(dir);
        expect(result.errors).toEqual([]);
        // Each racer retries while refused, so all three hold the lock in turn, never two at once.
        expect(result.intervals).toHaveLength(3);
        expect(result.overlaps).toEqual([]);
      }
    } finally {
      race.stop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('data dir lock, who holds it', () => {
  it('writes the pid alone on the first line, so the first builds (parseInt of the file) still read it', () => {
    const dir = tempDir();
    const release = acquireLock(dir);
    const text = readFileSync(join(dir, LOCK_FILE), 'utf8');
    expect(text.split('\n')[0]).toBe(String(process.pid));
    expect(Number.parseInt(text.trim(), 10)).toBe(process.pid);
    release();
  });

  it('refuses a lock held by another live process, and takes it once that process releases it', async () => {
    const dir = tempDir();
    const holder = await holdLockInChild(lockModule, dir);
    try {
      expect(() => acquireLock(dir)).toThrow(`(pid ${holder.pid})`);
      expect(() => acquireLock(dir)).toThrow(StoreLockedError);
    } finally {
      await holder.release();
    }
    takeAndRelease(dir);
  });

  it('takes over a lock whose pid runs now but was recorded in an earlier boot', () => {
    const dir = tempDir();
    // The test runner (our parent) is alive; the lock says its pid was taken a day before this boot.
    writeFileSync(join(dir, LOCK_FILE), lockText({ pid: process.ppid, boot: Date.now() - uptime() * 1000 - DAY_MS }));
    takeAndRelease(dir);
  });

  it('refuses a lock of a live pid recorded in this boot, though os.uptime() is coarse', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), lockText({ pid: process.ppid, boot: Date.now() - uptime() * 1000 + 1500 }));
    expect(() => acquireLock(dir)).toThrow(`(pid ${process.ppid})`);
  });

  it.skipIf(!onLinux)('takes over a lock whose live pid was recorded under another Linux boot id', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), lockText({ ...linuxIdentity(process.ppid), bootId: '00000000-0000-4000-8000-000000000000' }));
    takeAndRelease(dir);
  });

  it.skipIf(!onLinux)('takes over a lock whose live pid now belongs to a process started at another time', () => {
    const dir = tempDir();
    const parent = linuxIdentity(process.ppid);
    writeFileSync(join(dir, LOCK_FILE), lockText({ ...parent, start: (parent.start ?? 0) + 1 }));
    takeAndRelease(dir);
  });

  it.skipIf(!onLinux)('refuses a lock whose pid, boot and start time all match a running process', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), lockText(linuxIdentity(process.ppid)));
    expect(() => acquireLock(dir)).toThrow(`(pid ${process.ppid})`);
  });

  it('takes over a lock with our own pid from the first builds: an earlier process that had our pid', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    takeAndRelease(dir);
  });

  it.skipIf(!onLinux)('refuses a lock that this very process took through another copy of the module', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), lockText(linuxIdentity(process.pid)));
    expect(() => acquireLock(dir)).toThrow(`(pid ${process.pid})`);
  });

  it('takes over an empty lock file left long ago by a process killed before writing its pid', () => {
    const dir = tempDir();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '');
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(path, longAgo, longAgo);
    takeAndRelease(dir);
  });

  it('waits for an empty lock file that is still being written instead of taking it over', () => {
    const dir = tempDir();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, '');
    // A modification time ahead of the clock keeps the file "just created" however slow this run is.
    const ahead = new Date(Date.now() + 60_000);
    utimesSync(path, ahead, ahead);
    expect(() => acquireLock(dir, { waitLimitMs: 50 })).toThrow(/stayed empty or busy/);
    expect(readFileSync(path, 'utf8')).toBe('');
  });
});

describe('data dir lock, the takeover mutex', () => {
  it('recovers a takeover left by a process killed inside it', async () => {
    const dir = tempDir();
    const pid = await deadPid();
    writeFileSync(join(dir, LOCK_FILE), `${pid}\n`);
    mkdirSync(join(dir, TAKEOVER_DIR));
    writeFileSync(join(dir, TAKEOVER_DIR, '0123456789abcdef'), lockText({ pid }));
    const release = acquireLock(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8').split('\n')[0]).toBe(String(process.pid));
    expect(existsSync(join(dir, TAKEOVER_DIR))).toBe(false);
    release();
  });

  it('recovers an empty takeover directory left by a process killed while leaving it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), `${await deadPid()}\n`);
    mkdirSync(join(dir, TAKEOVER_DIR));
    takeAndRelease(dir);
    expect(existsSync(join(dir, TAKEOVER_DIR))).toBe(false);
  });

  it('leaves a stale lock alone while a live process is inside the takeover, and names that process', async () => {
    const dir = tempDir();
    const stale = `${await deadPid()}\n`;
    writeFileSync(join(dir, LOCK_FILE), stale);
    mkdirSync(join(dir, TAKEOVER_DIR));
    writeFileSync(join(dir, TAKEOVER_DIR, '0123456789abcdef'), lockText({ pid: process.ppid }));
    expect(() => acquireLock(dir, { waitLimitMs: 50 })).toThrow(`(pid ${process.ppid})`);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(stale);
    expect(readdirSync(join(dir, TAKEOVER_DIR))).toEqual(['0123456789abcdef']);
  });

  it('removes temp files of a process killed while taking the lock, and keeps those of live ones', async () => {
    const dir = tempDir();
    const dead = await deadPid();
    writeFileSync(join(dir, `${LOCK_FILE}.${dead}.00aa.tmp`), `${dead}\n`);
    mkdirSync(join(dir, `${TAKEOVER_DIR}.${dead}.00bb.tmp`));
    writeFileSync(join(dir, `${LOCK_FILE}.${process.ppid}.00cc.tmp`), `${process.ppid}\n`);
    takeAndRelease(dir);
    expect(readdirSync(dir)).toEqual([`${LOCK_FILE}.${process.ppid}.00cc.tmp`]);
  });
});
