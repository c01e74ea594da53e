// The executor: parses feeds off the event loop in a pool of worker threads. Raw bytes go to a
// worker by transfer (not copied), which decodes, parses and normalises; only normalised,
// size-capped items come back, in chunks — for a poll only the items it may post, the rest as
// keys — so neither the parse nor the structured clone of a huge result blocks the main thread.
// The pool grows with demand up to a worker per core but one, and a worker idle for `idleWorkerMs` is
// ended, so nothing is kept between polls (an idle worker holds 10–50 MB). Documents under
// `inlineBelowBytes` parse inline: there the worker's round trip adds 20–40 % to the latency
// while an inline parse blocks the loop for ~2 ms at most (bench/parse-inline.mjs).
import { availableParallelism } from 'node:os';
import { isMarkedAsUntransferable, Worker } from 'node:worker_threads';
import type { MoreRequest, ParseReply, ParseRequest } from './parse-protocol';
import { FeedError, type FeedParser, isWholeItem, type NormalizedFeed, type PolledFeed, type PolledItem, type Selection } from './types';
import { locateParseWorker } from './worker-entry';

export interface FeedParserOptions {
  /** Most workers at once; default: defaultWorkerCount of this machine's cores. */
  workers?: number;
  /** Documents smaller than this parse on the calling thread. Default 16 KB; 0 = always a worker. */
  inlineBelowBytes?: number;
  /** Overrides where the worker's code is found (see worker-entry.ts). */
  workerUrl?: URL;
  /** A parse running longer (counted from when its worker is ready) is abandoned and its worker replaced. Default 60 s. */
  jobTimeoutMs?: number;
  /** A worker not ready this long after it was started is given up, with the parse waiting on it. Default 60 s. */
  workerStartTimeoutMs?: number;
  /** A worker with nothing to do for this long is ended. Default 1 s: long enough to carry a poll cycle's parses. */
  idleWorkerMs?: number;
  /** A worker's heap limit; a document that needs more fails as too large. Default 1,024 MB. */
  workerHeapMb?: number;
}

/** How the pool stands: workers alive (starting ones included), busy ones, and the most there ever were at once. */
export interface PoolState { workers: number; busy: number; peak: number }

export interface FeedExecutor extends FeedParser {
  pool(): PoolState;
}

/**
 * A worker per core but one, at least one and at most 8: the main thread fetches and takes in
 * what the workers send, and needs a core of its own while they parse. On 2 cores a second
 * worker made a 300-feed first cycle no shorter (both ÷ the bare baseline 0.93–0.99, medians of
 * 8) and cost 15–20 % more CPU: its isolate starts and compiles the parser again.
 */
export function defaultWorkerCount(cores: number): number {
  return Math.max(1, Math.min(8, cores - 1));
}

export const DEFAULT_JOB_TIMEOUT_MS = 60_000;

export const DEFAULT_INLINE_BELOW_BYTES = 16 * 1024;

export const DEFAULT_IDLE_WORKER_MS = 1000;

/**
 * A 25 MB feed (10,000 items) parses within 256 MB of worker heap; the limit leaves room for the
 * largest document maxFeedBytes allows (100 MB) while keeping a pathological one from taking the machine.
 */
export const DEFAULT_WORKER_HEAP_MB = 1024;

/**
 * A parse's result lives until it is sent, so a big young generation only copies it around more:
 * with 8 MB a 25 MB parse took ~60 % less CPU than with V8's default, and the worker stays small.
 * Three semi-spaces of cli/young-generation.ts's 8 MB (two light passes allocate less that lives).
 */
export const WORKER_YOUNG_GENERATION_MB = 24;

interface Job {
  request: ParseRequest;
  head: { title: string | null; link: string | null; distinct?: boolean } | null;
  items: PolledItem[];
  resolve(feed: PolledFeed): void;
  reject(err: FeedError): void;
}

/** `ready`: the worker has said so (its listener is in place); a parse's budget starts then, not at spawn. */
interface Slot { worker: Worker; job: Job | null; deadline: NodeJS.Timeout | null; idle: NodeJS.Timeout | null; ready: boolean }

/** 200 ms reads "200 ms", not "0 s". */
const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

const COPY_SLICE = 4 * 1024 * 1024;

/**
 * Whether `bytes` can be handed over by transfer: a view of a whole, ordinary ArrayBuffer. A view
 * into a shared buffer (Node's Buffer pool, marked untransferable; a slice of a larger buffer)
 * must be copied, or the transfer would take the other views' bytes with it.
 */
export function transferable(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
    && !isMarkedAsUntransferable(buffer);
}

/** Copying 30 MB in one go holds the event loop ~20 ms; slices with a turn of the loop between them keep it responsive. */
async function privateCopy(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const copy = new Uint8Array(bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; offset += COPY_SLICE) {
    if (offset > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    copy.set(bytes.subarray(offset, offset + COPY_SLICE), offset);
  }
  return copy;
}

/** A parse with no selection returns every item whole; this says so to the type system, and checks. */
function allWhole(feed: PolledFeed): NormalizedFeed {
  const items = feed.items.filter(isWholeItem);
  if (items.length !== feed.items.length) throw new FeedError('parse', 'the feed parser returned keys where whole items were asked for');
  return { title: feed.title, link: feed.link, items };
}

const toFeedError = (err: unknown): FeedError =>
  (err instanceof FeedError ? err : new FeedError('parse', `could not parse the feed: ${err instanceof Error ? err.message : String(err)}`));

export function createFeedParser(options: FeedParserOptions = {}): FeedExecutor {
  const maxWorkers = Math.max(1, options.workers ?? defaultWorkerCount(availableParallelism()));
  const inlineBelow = options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES;
  const jobTimeout = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const startTimeout = options.workerStartTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const idleMs = options.idleWorkerMs ?? DEFAULT_IDLE_WORKER_MS;
  const heapMb = options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let starting = 0;
  let peak = 0;
  let nextId = 1;
  let closed = false;
  let entry: Promise<URL> | null = null;

  const fail = (job: Job, err: unknown): void => {
    job.reject(err instanceof FeedError ? err : new FeedError('parse', `the feed parser failed: ${err instanceof Error ? err.message : String(err)}`));
  };

  function remove(slot: Slot): boolean {
    const index = slots.indexOf(slot);
    if (index < 0) return false;
    slots.splice(index, 1);
    if (slot.deadline) clearTimeout(slot.deadline);
    if (slot.idle) clearTimeout(slot.idle);
    slot.deadline = null;
    slot.idle = null;
    return true;
  }

  /** An idle worker is ended after idleMs, unless work comes first. */
  function armIdle(slot: Slot): void {
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (slot.job !== null || !remove(slot)) return;
      void slot.worker.terminate();
    }, idleMs);
    slot.idle.unref();
  }

  function finishJob(slot: Slot): void {
    if (slot.deadline) clearTimeout(slot.deadline);
    slot.deadline = null;
    slot.job = null;
    slot.worker.unref();
    pump();
    if (slot.job === null) armIdle(slot);
  }

  function onReply(slot: Slot, reply: ParseReply): void {
    if (reply.type === 'ready') {
      slot.ready = true;
      if (slot.job) armDeadline(slot);
      return;
    }
    const job = slot.job;
    if (!job || job.request.id !== reply.id) return;
    switch (reply.type) {
      case 'head': job.head = { title: reply.title, link: reply.link, ...(reply.distinct === undefined ? {} : { distinct: reply.distinct }) }; break;
      case 'items':
        for (const item of reply.items) job.items.push(item);
        // The next chunk is asked for after a turn of the loop, so timers and I/O run between chunks.
        if (!reply.last) {
          setImmediate(() => {
            if (slot.job === job) slot.worker.postMessage({ type: 'more', id: job.request.id } satisfies MoreRequest);
          });
        }
        break;
      case 'done': {
        const feed: PolledFeed = {
          title: job.head?.title ?? null, link: job.head?.link ?? null, items: job.items,
          ...(job.head?.distinct === undefined ? {} : { distinct: job.head.distinct }),
        };
        // The caller's work on the result (a poll's intake) starts on a turn of its own, not on
        // the one that received the last chunk.
        setImmediate(() => job.resolve(feed));
        finishJob(slot);
        break;
      }
      case 'error':
        job.reject(new FeedError(reply.kind, reply.message));
        finishJob(slot);
        break;
    }
  }

  function onDeath(slot: Slot, err: unknown): void {
    if (!remove(slot)) return;
    const outOfMemory = (err as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    if (slot.job) {
      fail(slot.job, outOfMemory
        ? new FeedError('too-large', `feed too large to parse: it needs more than the ${heapMb} MB a parse may use`)
        : err ?? new Error('the parse worker stopped'));
    }
    slot.job = null;
    pump();
  }

  async function spawn(): Promise<void> {
    starting++;
    try {
      entry ??= options.workerUrl ? Promise.resolve(options.workerUrl) : locateParseWorker();
      const url = await entry;
      if (closed) return;
      const worker = new Worker(url, { resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
      const slot: Slot = { worker, job: null, deadline: null, idle: null, ready: false };
      worker.on('message', (reply: ParseReply) => onReply(slot, reply));
      worker.on('error', (err) => onDeath(slot, err));
      worker.on('exit', (code) => onDeath(slot, new Error(`the parse worker exited (code ${code})`)));
      worker.unref();
      slots.push(slot);
      peak = Math.max(peak, slots.length);
      // Started for a job another worker may have taken meanwhile: idle from the start.
      armIdle(slot);
    } catch (err) {
      entry = null;
      // No worker can start: fail what waits rather than leave it hanging.
      for (const job of queue.splice(0)) fail(job, err);
    } finally {
      starting--;
    }
    pump();
  }

  /**
   * A document that keeps a worker busy too long (a parser bug, a pathological input) must not
   * hold its feed, or the pool, for ever: the worker is replaced. The parse's budget counts from
   * the worker's 'ready' (re-armed then), so a start-up slowed by a loaded machine is not
   * charged to the parse; until then the start-up has its own budget.
   */
  function armDeadline(slot: Slot): void {
    const job = slot.job!;
    if (slot.deadline) clearTimeout(slot.deadline);
    const [ms, message] = slot.ready
      ? [jobTimeout, `parsing took longer than ${duration(jobTimeout)} and was stopped`]
      : [startTimeout, `the feed parser did not start within ${duration(startTimeout)}`];
    slot.deadline = setTimeout(() => {
      remove(slot);
      fail(job, new FeedError('parse', message));
      void slot.worker.terminate();
      pump();
    }, ms);
    slot.deadline.unref();
  }

  function pump(): void {
    while (queue.length > 0) {
      const slot = slots.find((s) => s.job === null);
      if (!slot) {
        // One worker more per waiting job, up to the cap: the pool grows with the demand.
        if (slots.length + starting < maxWorkers && starting < queue.length) void spawn();
        return;
      }
      const job = queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.job = job;
      slot.worker.ref();
      armDeadline(slot);
      const bytes = job.request.bytes;
      slot.worker.postMessage(job.request, [bytes.buffer as ArrayBuffer]);
    }
  }

  async function run(bytes: Uint8Array, contentType: string | null, baseUrl: string, selection: Selection | null): Promise<PolledFeed> {
    if (closed) throw new FeedError('parse', 'the feed parser is closed');
    if (bytes.byteLength < inlineBelow) {
      try {
        // A chunk of its own in dist/ (scripts/build.mjs), with feedsmith: loaded by the first
        // inline parse, not at start (issue 13).
        const { parseDocument } = await import('./parse-document');
        return parseDocument(bytes, contentType, baseUrl, selection);
      } catch (err) {
        throw toFeedError(err);
      }
    }
    const own = transferable(bytes) ? bytes : await privateCopy(bytes);
    return new Promise<PolledFeed>((resolve, reject) => {
      queue.push({ request: { id: nextId++, bytes: own, contentType, baseUrl, selection }, head: null, items: [], resolve, reject });
      pump();
    });
  }

  return {
    async parse(bytes, contentType, baseUrl) {
      return allWhole(await run(bytes, contentType, baseUrl, null));
    },
    parseForPoll(bytes, contentType, baseUrl, selection) {
      return run(bytes, contentType, baseUrl, selection);
    },
    pool() {
      return { workers: slots.length + starting, busy: slots.filter((s) => s.job !== null).length, peak };
    },
    waiting: () => queue.length,
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new FeedError('parse', 'the feed parser was closed'));
      const all = slots.splice(0);
      for (const slot of all) {
        if (slot.deadline) clearTimeout(slot.deadline);
        if (slot.idle) clearTimeout(slot.idle);
        if (slot.job) slot.job.reject(new FeedError('parse', 'the feed parser was closed'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
