// Races several processes for one data dir's lock (issue 11): each round leaves a stale lock,
// then racers started at one instant all take it in turn; two holders at once show as two
// overlapping [acquired, released] intervals. Used by test/core/store/lock.test.ts (a few
// rounds) and scripts/stress-lock.mjs (many), which imports this file with Node's own type
// stripping: keep to erasable TypeScript (no parameter properties, enums or namespaces).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./lock-driver.mjs', import.meta.url));
export const LOCK_SOURCE = fileURLToPath(new URL('../../main/core/store/lock.ts', import.meta.url));

export interface Interval { pid: number; acquiredAt: bigint; releasedAt: bigint; refusals: number }

export interface RoundResult {
  /** One per racer that took the lock. */
  intervals: Interval[];
  /** Racers that never took it: an unexpected error, or refused past giveUpMs. */
  errors: string[];
  /** Pairs of intervals that overlap: two holders at once. */
  overlaps: Array<[Interval, Interval]>;
}

/** Bundles a lock module (lock.ts, or an older copy of it) into one .mjs the driver can import. */
export async function bundleLockModule(source: string, outfile: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({ entryPoints: [source], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node22', logLevel: 'error' });
  return outfile;
}

/** Every pair of intervals that share a moment. */
export function overlappingPairs(intervals: Interval[]): Array<[Interval, Interval]> {
  const sorted = [...intervals].sort((a, b) => (a.acquiredAt < b.acquiredAt ? -1 : a.acquiredAt > b.acquiredAt ? 1 : 0));
  const pairs: Array<[Interval, Interval]> = [];
  for (let i = 0; i < sorted.length; i += 1) {
    for (let j = i + 1; j < sorted.length; j += 1) {
      const [a, b] = [sorted[i], sorted[j]];
      if (a && b && b.acquiredAt < a.releasedAt) pairs.push([a, b]);
    }
  }
  return pairs;
}

function runDriver(args: string[]): Promise<{ pid: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DRIVER, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.on('error', reject);
    // 'close' comes after Node has reaped the child: its pid is dead and no longer a zombie.
    child.on('close', (code) => resolve({ pid: child.pid ?? 0, code, stderr }));
  });
}

/**
 * Makes `count` dirs that each hold a stale lock: one driver takes the lock of every dir and exits
 * without releasing them (one Node start for many rounds). With `oldFormat` a dir's lock is then
 * rewritten as the first builds wrote it, just "<pid>\n".
 */
export async function staleLockDirs(lockModule: string, count: number, oldFormat: (index: number) => boolean): Promise<string[]> {
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'crier-lock-race-')));
  const { pid, code, stderr } = await runDriver([lockModule, 'abandon', ...dirs]);
  if (code !== 0) throw new Error(`abandon driver failed (${code}): ${stderr}`);
  dirs.forEach((dir, index) => { if (oldFormat(index)) writeFileSync(join(dir, 'crier.lock'), `${pid}\n`); });
  return dirs;
}

export interface HeldLock { pid: number; release(): Promise<void> }

/** A child process that holds `dir`'s lock until release() (it ends its stdin). */
export async function holdLockInChild(lockModule: string, dir: string): Promise<HeldLock> {
  const child = spawn(process.execPath, [DRIVER, lockModule, 'hold', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const lines = createInterface({ input: child.stdout });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const first = await nextLine({ child, lines, stderr: () => stderr });
  if (first !== 'held') {
    child.kill();
    throw new Error(`the child did not take the lock: ${first} ${stderr}`);
  }
  return {
    pid: child.pid ?? 0,
    release: async () => {
      child.stdin.end();
      await closed;
    },
  };
}

interface Racer { child: ChildProcessWithoutNullStreams; lines: Interface; stderr: () => string }

function nextLine(racer: Racer): Promise<string> {
  return new Promise((resolve, reject) => {
    const onLine = (line: string): void => { cleanup(); resolve(line); };
    const onClose = (): void => { cleanup(); reject(new Error(`lock driver ${racer.child.pid} ended: ${racer.stderr()}`)); };
    const cleanup = (): void => { racer.lines.off('line', onLine); racer.child.off('close', onClose); };
    racer.lines.once('line', onLine);
    racer.child.once('close', onClose);
  });
}

export interface RaceOptions {
  /** The bundled lock module the racers import. */
  lockModule: string;
  racers?: number;
  holdMs?: number;
  /** How far ahead of "now" the common start instant is set, so every racer is waiting for it. */
  leadMs?: number;
  giveUpMs?: number;
}

/** Long-lived racer processes (one Node start each, not one per round). */
export class LockRace {
  private readonly racers: Racer[];
  private readonly options: Required<RaceOptions>;

  private constructor(racers: Racer[], options: Required<RaceOptions>) {
    this.racers = racers;
    this.options = options;
  }

  static async start(options: RaceOptions): Promise<LockRace> {
    const full = { racers: 3, holdMs: 20, leadMs: 40, giveUpMs: 10_000, ...options };
    const racers = Array.from({ length: full.racers }, (): Racer => {
      const child = spawn(process.execPath, [DRIVER, full.lockModule, 'race'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      return { child, lines: createInterface({ input: child.stdout }), stderr: () => stderr };
    });
    const race = new LockRace(racers, full);
    try {
      const ready = await Promise.all(racers.map(nextLine));
      if (ready.some((line) => line !== 'ready')) throw new Error(`lock drivers not ready: ${ready.join(' | ')}`);
    } catch (error) {
      race.stop();
      throw error;
    }
    return race;
  }

  /** One round on a dir from staleLockDirs: every racer takes its lock once, all starting together. */
  async round(dir: string): Promise<RoundResult> {
    try {
      const order = { dir, startAt: Date.now() + this.options.leadMs, holdMs: this.options.holdMs, giveUpMs: this.options.giveUpMs };
      const replies = Promise.all(this.racers.map(nextLine));
      for (const racer of this.racers) racer.child.stdin.write(`${JSON.stringify(order)}\n`);
      const intervals: Interval[] = [];
      const errors: string[] = [];
      for (const line of await replies) {
        const reply = JSON.parse(line) as { pid: number; error?: string; acquiredAt?: string; releasedAt?: string; refusals?: number };
        if (reply.error !== undefined || reply.acquiredAt === undefined || reply.releasedAt === undefined) errors.push(`pid ${reply.pid}: ${reply.error ?? line}`);
        else intervals.push({ pid: reply.pid, acquiredAt: BigInt(reply.acquiredAt), releasedAt: BigInt(reply.releasedAt), refusals: reply.refusals ?? 0 });
      }
      return { intervals, errors, overlaps: overlappingPairs(intervals) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  stop(): void {
    for (const racer of this.racers) {
      racer.lines.close();
      racer.child.stdin.end();
      racer.child.kill();
    }
  }
}
