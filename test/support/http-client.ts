// A raw node:http client for server tests: sends exactly the Host, path and body given (fetch
// would normalise `..` and refuse a custom Host), and reads server-sent events.
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';

export interface RawResponse { status: number; headers: IncomingHttpHeaders; text: string; json(): unknown }

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
}

export function rawRequest(port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const r = request({ host: '127.0.0.1', port, method: req.method ?? 'GET', path: req.path, headers: { Host: `127.0.0.1:${port}`, ...req.headers } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    // A server that answers early (413) may close while the body is still going out.
    r.on('error', (err) => { if (!answered) reject(err); });
    r.end(req.body);
  });
}

export interface SseEvent { event: string; id: string | null; data: string }

/** An open event stream: events as they arrive, and close(). */
export interface SseStream {
  response: IncomingMessage;
  next(timeoutMs?: number): Promise<SseEvent>;
  comments: string[];
  close(): void;
}

export function openEventStream(port: number, headers: Record<string, string>): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path: '/api/events', headers: { Host: `127.0.0.1:${port}`, Accept: 'text/event-stream', ...headers } }, (res) => {
      const events: SseEvent[] = [];
      const waiters: ((e: SseEvent) => void)[] = [];
      const comments: string[] = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const ev: SseEvent = { event: 'message', id: null, data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) { ev.event = line.slice(7); isEvent = true; }
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('data: ')) { ev.data += line.slice(6); isEvent = true; }
          }
          if (!isEvent) continue;
          const w = waiters.shift();
          if (w) w(ev); else events.push(ev);
        }
      });
      resolve({
        response: res,
        comments,
        next(timeoutMs = 5000) {
          const queued = events.shift();
          if (queued) return Promise.resolve(queued);
          return new Promise((res2, rej2) => {
            const timer = setTimeout(() => rej2(new Error('no event arrived')), timeoutMs);
            waiters.push((e) => { clearTimeout(timer); res2(e); });
          });
        },
        close() { r.destroy(); },
      });
    });
    r.on('error', reject);
    r.end();
  });
}
