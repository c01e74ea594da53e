// The parse worker: raw bytes in, normalised items out in chunks (see executor.ts).
import { parentPort } from 'node:worker_threads';
import { parseDocument } from './parse-document';
import { ITEMS_PER_CHUNK, type ParseReply, type ParseRequest } from './parse-protocol';
import { FeedError } from './types';

const port = parentPort;
if (port) {
  port.on('message', (req: ParseRequest) => {
    const send = (reply: ParseReply): void => port.postMessage(reply);
    try {
      const feed = parseDocument(req.bytes, req.contentType, req.baseUrl);
      send({ id: req.id, type: 'head', title: feed.title, link: feed.link });
      for (let i = 0; i < feed.items.length; i += ITEMS_PER_CHUNK) {
        send({ id: req.id, type: 'items', items: feed.items.slice(i, i + ITEMS_PER_CHUNK) });
      }
      send({ id: req.id, type: 'done' });
    } catch (err) {
      const kind = err instanceof FeedError ? err.kind : 'parse';
      const message = err instanceof FeedError ? err.message : `could not parse the feed: ${err instanceof Error ? err.message : String(err)}`;
      send({ id: req.id, type: 'error', kind, message: message.split('\n')[0]! });
    }
  });
  port.postMessage({ type: 'ready' } satisfies ParseReply);
}
