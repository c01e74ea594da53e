// The parse worker: raw bytes in (transferred), normalised items out in chunks, one chunk per
// 'more' from the executor (see parse-protocol.ts). For a poll only the items it may post come
// back whole, the others as their keys.
import { parentPort } from 'node:worker_threads';
import { parseDocument } from './parse-document';
import { chunkItems, type ParseReply, type ParseRequest, type WorkerRequest } from './parse-protocol';
import { FeedError, type PolledItem } from './types';

const port = parentPort;
if (port) {
  const send = (reply: ParseReply): void => port.postMessage(reply);
  /** The chunks of the one parse in hand, waiting for 'more'. */
  let pending: { id: number; chunks: PolledItem[][] } | null = null;

  const sendNext = (): void => {
    if (!pending) return;
    const { id, chunks } = pending;
    const items = chunks.shift();
    if (items) send({ id, type: 'items', items, last: chunks.length === 0 });
    if (chunks.length === 0) {
      pending = null;
      send({ id, type: 'done' });
    }
  };

  const parse = (req: ParseRequest): void => {
    try {
      const feed = parseDocument(req.bytes, req.contentType, req.baseUrl, req.selection ?? null);
      send({ id: req.id, type: 'head', title: feed.title, link: feed.link, ...(feed.distinct === undefined ? {} : { distinct: feed.distinct }) });
      pending = { id: req.id, chunks: chunkItems(feed.items) };
      sendNext();
    } catch (err) {
      const kind = err instanceof FeedError ? err.kind : 'parse';
      const message = err instanceof FeedError ? err.message : `could not parse the feed: ${err instanceof Error ? err.message : String(err)}`;
      send({ id: req.id, type: 'error', kind, message: message.split('\n')[0]! });
    }
  };

  port.on('message', (req: WorkerRequest) => {
    if ('type' in req) {
      if (pending?.id === req.id) sendNext();
      return;
    }
    pending = null;
    parse(req);
  });
  port.postMessage({ type: 'ready' } satisfies ParseReply);
}
