// The loopback world bench/engine.mjs polls and posts against, in its own process so that none
// of its work lands on the event loop being measured:
//   - the HTTPS fake X API (test/support/fake-x-api.ts, bundled by engine.mjs, path in argv[2]),
//     behind a front that holds every request for `delayMs` (argv[3]) before passing it on: the
//     fake has no delay of its own, and the front keeps the Host header, so the OAuth signature
//     the engine made for the front's URL still verifies;
//   - a plain HTTP feed server with `feeds` (argv[4]) RSS feeds of `items` (argv[5]) items. Each
//     request of a feed shows one item more than the last one did, so every poll finds news.
// Prints one JSON line { xBase, caPem, credentials, feedUrls }; exits on SIGTERM or when its
// parent goes (stdin closes).
import { createServer as createHttpServer } from 'node:http';
import { Agent, createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { pathToFileURL } from 'node:url';

const [bundle, delayArg, feedsArg, itemsArg] = process.argv.slice(2);
const delayMs = Number(delayArg);
const feedCount = Number(feedsArg);
const itemCount = Number(itemsArg);
const { startFakeXApi, testTls } = await import(pathToFileURL(bundle).href);

// The bench makes a few hundred posts; the fake's natural 429 (300 per window) would pause the queue.
const fake = await startFakeXApi({ rateLimit: 1_000_000 });
const tls = await testTls();
const target = new URL(fake.url);
const agent = new Agent({ keepAlive: true, ca: fake.caPem });
const timers = new Set();

const front = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const t = setTimeout(() => {
      timers.delete(t);
      const upstream = httpsRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => { if (!res.headersSent) res.writeHead(502); res.end(); });
      upstream.end(Buffer.concat(chunks));
    }, delayMs);
    timers.add(t);
  });
});

const words = 'river stone lantern harbour meadow signal orchard copper violet thunder'.split(' ');
const description = (f, i) => Array.from({ length: 40 }, (_, w) => words[(f + i + w) % words.length]).join(' ');
const served = new Map();
function rss(f) {
  const round = served.get(f) ?? 0;
  served.set(f, round + 1);
  const newest = itemCount + round; // one item more per request
  const items = [];
  for (let i = newest; i > newest - itemCount; i--) {
    items.push(`<item><title>Feed ${f} item ${i}: ${words[i % words.length]} news</title><link>http://127.0.0.1/f${f}/${i}</link>` +
      `<guid>urn:bench:${f}:${i}</guid><pubDate>${new Date(Date.UTC(2025, 0, 1, 0, i)).toUTCString()}</pubDate>` +
      `<description>&lt;p&gt;${description(f, i)}&lt;/p&gt;</description></item>`);
  }
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed ${f}</title><link>http://127.0.0.1/f${f}</link>${items.join('')}</channel></rss>`;
}
const feedServer = createHttpServer((req, res) => {
  const f = Number(/^\/feed\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
  if (!(f >= 0 && f < feedCount)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
  res.end(rss(f));
});

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const frontPort = await listen(front);
const feedPort = await listen(feedServer);

function stop() {
  for (const t of timers) clearTimeout(t);
  front.closeAllConnections();
  feedServer.closeAllConnections();
  agent.destroy();
  void fake.close().finally(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

process.stdout.write(`${JSON.stringify({
  xBase: `https://127.0.0.1:${frontPort}`,
  caPem: tls.cert,
  credentials: fake.credentials,
  feedUrls: Array.from({ length: feedCount }, (_, f) => `http://127.0.0.1:${feedPort}/feed/${f}`),
})}\n`);
