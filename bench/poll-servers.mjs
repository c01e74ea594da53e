// The loopback feeds bench/poll-cycle.mjs and bench/memory.mjs poll, in their own process so that
// serving them lands on no thread being measured. argv: feeds (300), items per feed (50), bytes
// per feed (136 KB), items of the big feed (0: none).
//   /feed/<n>  an RSS 2.0 document of ITEMS items, about BYTES long: titles, links, guids, dates,
//              HTML descriptions (escaped, as feeds send them). The same bytes on every request,
//              with an ETag: a conditional request gets 304, so a second cycle is all 304s.
//   /big       one RSS document of BIG items of ~2.5 KB each (25 MB for 10,000), with an ETag.
// Documents are built once, on first request, and kept. Prints one JSON line { base }; exits on
// SIGTERM or when its parent goes (stdin closes).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const [feedsArg = '300', itemsArg = '50', bytesArg = String(136 * 1024), bigArg = '0'] = process.argv.slice(2);
const feedCount = Number(feedsArg);
const itemCount = Number(itemsArg);
const feedBytes = Number(bytesArg);
const bigItems = Number(bigArg);

const words = ('river stone lantern harbour meadow signal orchard copper violet thunder quiet market ' +
  'window ladder silver garden bridge candle winter morning').split(' ');
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const descriptions = new Map();
/** An item's escaped HTML description of about `bytes`; the same seed gives the same text (kept, as building it is the slow part). */
function description(seed, bytes) {
  const key = `${seed}:${bytes}`;
  let text = descriptions.get(key);
  if (text === undefined) {
    text = buildDescription(seed, bytes);
    descriptions.set(key, text);
  }
  return text;
}

function buildDescription(seed, bytes) {
  const paragraphs = [];
  let length = 0;
  for (let p = 0; length < bytes; p++) {
    const text = Array.from({ length: 24 }, (_, w) => words[(seed * 7 + p * 3 + w) % words.length]).join(' ');
    const html = `<p>${text} <a href="https://example.com/${seed}/${p}">more</a> &amp; <b>${words[(seed + p) % words.length]}</b>.</p>`;
    paragraphs.push(html);
    length += escape(html).length;
  }
  return escape(paragraphs.join(''));
}

function rss(title, home, items) {
  return `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>${home}</link>` +
    `<description>${title}</description>\n${items.join('\n')}\n</channel></rss>\n`;
}

function item(key, i, home, descriptionBytes) {
  return `<item><title>${escape(`${key} item ${i}: ${words[i % words.length]} & ${words[(i * 3) % words.length]} news`)}</title>` +
    `<link>${home}/${i}</link><guid isPermaLink="false">urn:bench:${key}:${i}</guid>` +
    `<pubDate>${new Date(Date.UTC(2025, 0, 1, 0, i)).toUTCString()}</pubDate>` +
    `<description>${description(i, descriptionBytes)}</description></item>`;
}

/** A feed's document: ITEMS items, newest first, sized to about BYTES. */
function feedDocument(f) {
  const home = `https://example.com/feed${f}`;
  const per = Math.max(200, Math.floor(feedBytes / itemCount) - 300);
  const items = [];
  for (let i = itemCount; i > 0; i--) items.push(item(`feed${f}`, i, home, per));
  return rss(`Bench feed ${f}`, home, items);
}

function bigDocument() {
  const home = 'https://example.com/big';
  const items = [];
  for (let i = bigItems; i > 0; i--) items.push(item('big', i, home, 2200));
  return rss('Big bench feed', home, items);
}

const cache = new Map();
function documentFor(path) {
  let entry = cache.get(path);
  if (entry) return entry;
  let text;
  const m = /^\/feed\/(\d+)$/.exec(path);
  if (m && Number(m[1]) < feedCount) text = feedDocument(Number(m[1]));
  else if (path === '/big' && bigItems > 0) text = bigDocument();
  else return null;
  const body = Buffer.from(text);
  entry = { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` };
  cache.set(path, entry);
  return entry;
}

const server = createServer((req, res) => {
  const doc = documentFor(req.url ?? '');
  if (!doc) { res.writeHead(404); res.end(); return; }
  if (req.headers['if-none-match'] === doc.etag) { res.writeHead(304, { etag: doc.etag }); res.end(); return; }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': doc.body.byteLength, etag: doc.etag });
  res.end(doc.body);
});
server.keepAliveTimeout = 60_000;

server.listen(0, '127.0.0.1', () => {
  // Built before the first cycle, so no trial pays for building them.
  for (let f = 0; f < feedCount; f++) documentFor(`/feed/${f}`);
  documentFor('/big');
  process.stdout.write(`${JSON.stringify({ base: `http://127.0.0.1:${server.address().port}`, feedBytes: documentFor('/feed/0').body.byteLength })}\n`);
});

function stop() {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
