// A task queue wired to a fake clock, an in-memory repo and a scriptable fake X client.
import { afterAll, beforeAll } from 'vitest';
import type { QueueState, Settings, Task } from '../../../preload/contract';
import { createTaskQueue } from '../../../main/core/tasks/queue';
import type { QueueMemory, TaskQueue } from '../../../main/core/tasks/types';
import { XError, type PostRequest, type PostResult, type TimelineQuery, type XClient, type XFailure } from '../../../main/core/x/types';
import { createFakeClock, type FakeClock } from '../../support/fake-clock';
import { createMemoryTaskRepo, type MemoryTaskRepo } from '../../support/memory-task-repo';
import { testSettings } from './task-fixtures';

/** Local-day rules depend on the process zone: pin it for a test file, restore it afterwards. */
export function pinTimeZone(tz: string): void {
  const saved = process.env.TZ;
  beforeAll(() => { process.env.TZ = tz; });
  afterAll(() => { if (saved === undefined) delete process.env.TZ; else process.env.TZ = saved; });
}

export type Reply = { ok: PostResult } | { fail: XFailure } | { throws: unknown } | 'hang';

export interface XCall {
  request: PostRequest;
  at: number;
  /** How the repo held the task when X was called, and whether that write was durable. */
  stored: Task | undefined;
  durable: boolean;
}

export type Look = { found: PostResult } | 'none' | { fail: XFailure };

export interface FakeX extends XClient {
  readonly calls: XCall[];
  /** Each timeline look (findPost) with when it was made. */
  readonly looks: { query: TimelineQuery; at: number }[];
  /** Queues replies, used in order; with none queued, a post succeeds. */
  reply(...replies: Reply[]): void;
  /** Queues timeline answers, used in order; with none queued, the post is not there. */
  timeline(...answers: Look[]): void;
  /** Settles the oldest hanging post. */
  release(reply?: Exclude<Reply, 'hang'>): void;
}

export function createFakeX(clock: FakeClock, repo: MemoryTaskRepo): FakeX {
  const script: Reply[] = [];
  const lookScript: Look[] = [];
  const looks: { query: TimelineQuery; at: number }[] = [];
  const hanging: { resolve: (r: PostResult) => void; reject: (e: unknown) => void }[] = [];
  let seq = 0;
  const calls: XCall[] = [];
  const success = (): PostResult => { seq += 1; return { postId: `p${seq}`, postUrl: `https://x.com/i/status/p${seq}`, note: null }; };
  return {
    calls,
    looks,
    reply: (...replies) => { script.push(...replies); },
    timeline: (...answers) => { lookScript.push(...answers); },
    findPost(query) {
      looks.push({ query, at: clock.now() });
      const answer = lookScript.shift() ?? 'none';
      if (answer === 'none') return Promise.resolve(null);
      if ('found' in answer) return Promise.resolve(answer.found);
      return Promise.reject(new XError(answer.fail));
    },
    release(reply = { ok: success() }) {
      const h = hanging.shift();
      if (!h) throw new Error('FakeX.release: nothing is hanging');
      if ('ok' in reply) h.resolve(reply.ok);
      else if ('fail' in reply) h.reject(new XError(reply.fail));
      else h.reject(reply.throws);
    },
    post(request) {
      const stored = repo.all().find((t) => t.text === request.text && t.status === 'running');
      const write = stored ? repo.lastWrite(stored.id) : undefined;
      calls.push({ request, at: clock.now(), stored, durable: write?.durable === true });
      const r = script.shift() ?? { ok: success() };
      if (r === 'hang') return new Promise<PostResult>((resolve, reject) => { hanging.push({ resolve, reject }); });
      if ('ok' in r) return Promise.resolve(r.ok);
      if ('fail' in r) return Promise.reject(new XError(r.fail));
      return Promise.reject(r.throws);
    },
    me: () => Promise.resolve({ handle: 'crier_test' }),
  };
}

export interface LogLine { level: string; msg: string; fields: Record<string, unknown> | undefined }

export interface Harness {
  clock: FakeClock;
  repo: MemoryTaskRepo;
  x: FakeX;
  queue: TaskQueue;
  settings: Settings;
  /** Flip to false to take the account away (dry run). */
  account: { connected: boolean };
  taskEvents: Task[];
  queueEvents: QueueState[];
  logs: LogLine[];
  task(id: string): Task;
}

export interface HarnessOptions {
  tasks?: Task[];
  settings?: Partial<Settings>;
  connected?: boolean;
  random?: () => number;
  start?: number;
  /** Pause and ledger across restarts: pass the same one to a second harness to "restart". */
  memory?: QueueMemory;
  credentials?: () => string | null;
}

export function createHarness(options: HarnessOptions = {}): Harness {
  const clock = createFakeClock(options.start);
  const repo = createMemoryTaskRepo(options.tasks ?? []);
  const x = createFakeX(clock, repo);
  const settings = testSettings(options.settings);
  const account = { connected: options.connected ?? true };
  const taskEvents: Task[] = [];
  const queueEvents: QueueState[] = [];
  const logs: LogLine[] = [];
  const logAt = (level: string) => (msg: string, fields?: Record<string, unknown>) => { logs.push({ level, msg, fields }); };
  const queue = createTaskQueue({
    clock,
    repo,
    events: { taskChanged: (t) => taskEvents.push(t), queueChanged: (s) => queueEvents.push(s) },
    log: { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') },
    settings: () => settings,
    x: () => (account.connected ? x : null),
    // 1 is the top of the range (clamped): every jittered wait equals its ceiling.
    random: options.random ?? (() => 1),
    ...(options.memory ? { memory: options.memory } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
  return {
    clock, repo, x, queue, settings, account, taskEvents, queueEvents, logs,
    task(id) {
      const t = repo.get(id);
      if (!t) throw new Error(`no task ${id}`);
      return t;
    },
  };
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
