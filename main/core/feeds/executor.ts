// The executor: parses feeds off the event loop in a small pool of worker threads. Raw bytes go
// to a worker, which decodes, parses and normalises; only normalised, size-capped items come
// back, in chunks, so neither the parse nor the structured clone of a huge result blocks the
// main thread. Documents under `inlineBelowBytes` parse inline: there the worker's round trip
// adds 20–40 % to the latency while an inline parse blocks the loop for ~2 ms at most
// (bench/parse-inline.mjs).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { parseDocument } from './parse-document';
import type { ParseReply, ParseRequest } from './parse-protocol';
import { FeedError, type FeedItem, type FeedParser, type NormalizedFeed } from './types';
import { locateParseWorker } from './worker-entry';

export interface FeedParserOptions {
  /** Pool size; default: cores − 1, at least 1, at most 4. */
  workers?: number;
  /** Documents smaller than this parse on the calling thread. Default 16 KB; 0 = always a worker. */
  inlineBelowBytes?: number;
  /** Overrides where the worker's code is found (see worker-entry.ts). */
  workerUrl?: URL;
  /** A parse running longer (counted from when its worker is ready) is abandoned and its worker replaced. Default 60 s. */
  jobTimeoutMs?: number;
  /** A worker not ready this long after it was started is given up, with the parse waiting on it. Default 60 s. */
  workerStartTimeoutMs?: number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 60_000;

export const DEFAULT_INLINE_BELOW_BYTES = 16 * 1024;

interface Job {
  request: ParseRequest;
  head: { title: string | null; link: string | null } | null;
  items: FeedItem[];
  resolve(feed: NormalizedFeed): void;
  reject(err: FeedError): void;
}

/** `ready`: the worker has said so (its listener is in place); a parse's budget starts then, not at spawn. */
interface Slot { worker: Worker; job: Job | null; deadline: NodeJS.Timeout | null; ready: boolean }

/** 200 ms reads "200 ms", not "0 s". */
const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

const COPY_SLICE = 4 * 1024 * 1024;

/**
 * A private copy is transferred, so the caller's buffer stays usable. Copying 30 MB in one go
 * holds the event loop ~20 ms; slices with a turn of the loop between them keep it responsive.
 */
async function privateCopy(bytes: Uint8Array): Promise<Uint8Array> {
  const copy = new Uint8Array(bytes.byteLength);
  for (let offset = 0; offset < bytes.byteLength; offset += COPY_SLICE) {
    if (offset > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    copy.set(bytes.subarray(offset, offset + COPY_SLICE), offset);
  }
  return copy;
}

export function createFeedParser(options: FeedParserOptions = {}): FeedParser {
  const maxWorkers = Math.max(1, options.workers ?? Math.min(4, Math.max(1, availableParallelism() - 1)));
  const inlineBelow = options.inlineBelowBytes ?? DEFAULT_INLINE_BELOW_BYTES;
  const jobTimeout = options.jobTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const startTimeout = options.workerStartTimeoutMs ?? DEFAULT_JOB_TIMEOUT_MS;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let starting = 0;
  let nextId = 1;
  let closed = false;
  let entry: Promise<URL> | null = null;

  const fail = (job: Job, err: unknown): void => {
    job.reject(err instanceof FeedError ? err : new FeedError('parse', `the feed parser failed: ${err instanceof Error ? err.message : String(err)}`));
  };

  function finishJob(slot: Slot): void {
    if (slot.deadline) clearTimeout(slot.deadline);
    slot.deadline = null;
    slot.job = null;
    slot.worker.unref();
    pump();
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
      case 'head': job.head = { title: reply.title, link: reply.link }; break;
      case 'items': for (const item of reply.items) job.items.push(item); break;
      case 'done':
        job.resolve({ title: job.head?.title ?? null, link: job.head?.link ?? null, items: job.items });
        finishJob(slot);
        break;
      case 'error':
        job.reject(new FeedError(reply.kind, reply.message));
        finishJob(slot);
        break;
    }
  }

  function onDeath(slot: Slot, err: unknown): void {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    slots.splice(index, 1);
    if (slot.deadline) clearTimeout(slot.deadline);
    if (slot.job) fail(slot.job, err ?? new Error('the parse worker stopped'));
    slot.job = null;
    pump();
  }

  async function spawn(): Promise<void> {
    starting++;
    try {
      entry ??= options.workerUrl ? Promise.resolve(options.workerUrl) : locateParseWorker();
      const url = await entry;
      if (closed) return;
      const worker = new Worker(url);
      const slot: Slot = { worker, job: null, deadline: null, ready: false };
      worker.on('message', (reply: ParseReply) => onReply(slot, reply));
      worker.on('error', (err) => onDeath(slot, err));
      worker.on('exit', (code) => onDeath(slot, new Error(`the parse worker exited (code ${code})`)));
      worker.unref();
      slots.push(slot);
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
      slots.splice(slots.indexOf(slot), 1);
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
        if (slots.length + starting < maxWorkers) void spawn();
        return;
      }
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      armDeadline(slot);
      const bytes = job.request.bytes;
      slot.worker.postMessage(job.request, [bytes.buffer as ArrayBuffer]);
    }
  }

  return {
    async parse(bytes, contentType, baseUrl) {
      if (closed) throw new FeedError('parse', 'the feed parser is closed');
      if (bytes.byteLength < inlineBelow) {
        try {
          return parseDocument(bytes, contentType, baseUrl);
        } catch (err) {
          throw err instanceof FeedError ? err : new FeedError('parse', `could not parse the feed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const copy = await privateCopy(bytes);
      return new Promise<NormalizedFeed>((resolve, reject) => {
        queue.push({ request: { id: nextId++, bytes: copy, contentType, baseUrl }, head: null, items: [], resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new FeedError('parse', 'the feed parser was closed'));
      const all = slots.splice(0);
      for (const slot of all) if (slot.job) slot.job.reject(new FeedError('parse', 'the feed parser was closed'));
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
