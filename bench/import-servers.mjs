// The loopback feeds bench/import.mjs imports, in their own process so that serving them lands on
// no event loop being measured: a plain HTTP server with `feeds` (argv[2]) small RSS feeds of
// three items each at /feed/<n>. Prints one JSON line { base }; exits on SIGTERM or when its
// parent goes (stdin closes).
import { createServer } from 'node:http';

const feedCount = Number(process.argv[2] ?? 1000);

function rss(f) {
  const items = [1, 2, 3].map((i) => `<item><title>Feed ${f} item ${i}</title><link>http://127.0.0.1/f${f}/${i}</link>` +
    `<guid>urn:bench-import:${f}:${i}</guid><pubDate>${new Date(Date.UTC(2025, 0, 1, 0, i)).toUTCString()}</pubDate></item>`);
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>Import feed ${f}</title><link>http://127.0.0.1/f${f}</link>${items.join('')}</channel></rss>`;
}

const server = createServer((req, res) => {
  const f = Number(/^\/feed\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1);
  if (!(f >= 0 && f < feedCount)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
  res.end(rss(f));
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ base: `http://127.0.0.1:${server.address().port}` })}\n`);
});

function stop() {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();