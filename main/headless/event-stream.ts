// Server-sent events over the service's deltas. One subscription to the service fans out to
// every open stream; a small ring of recent deltas lets a reconnecting page (Last-Event-ID)
// catch up without a full snapshot when nothing it missed has fallen out of the ring.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateDelta, StateSnapshot } from '../../preload/contract';
import type { AppService } from '../core/app-service';
import type { Logger } from '../core/ports';
import { SECURITY_HEADERS } from '../shell/security-headers';
import { stateOptionsFromQuery } from './state-query';

export interface EventStreamOptions {
  service: AppService;
  log: Logger;
  /** Recent deltas kept for replay. */
  ringSize?: number;
  keepaliveMs?: number;
  /** A client this far behind (bytes queued) is dropped; it reconnects and gets a snapshot. */
  maxBufferedBytes?: number;
}

interface Client {
  res: ServerResponse;
  /** Deltas that arrived while the snapshot was being read. */
  queued: StateDelta[] | null;
  lastSeq: number;
  epoch: string | null;
}

export function eventId(epoch: string, seq: number): string {
  return `${epoch}:${seq}`;
}

export function parseEventId(value: string | undefined): { epoch: string; seq: number } | null {
  if (!value) return null;
  const i = value.lastIndexOf(':');
  if (i <= 0) return null;
  const seq = Number(value.slice(i + 1));
  return Number.isSafeInteger(seq) && seq >= 0 ? { epoch: value.slice(0, i), seq } : null;
}

function frame(event: string, id: string, data: unknown): string {
  // JSON.stringify never emits a raw newline, so one data: line is always enough.
  return `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class EventHub {
  private readonly clients = new Set<Client>();
  private readonly ring: StateDelta[] = [];
  private head: { epoch: string; seq: number } | null = null;
  private readonly unsubscribe: () => void;
  private readonly keepalive: NodeJS.Timeout;
  private readonly ringSize: number;
  private readonly maxBuffered: number;

  constructor(private readonly options: EventStreamOptions) {
    this.ringSize = options.ringSize ?? 256;
    this.maxBuffered = options.maxBufferedBytes ?? 8 * 1024 * 1024;
    this.unsubscribe = options.service.onDelta((delta) => this.publish(delta));
    this.keepalive = setInterval(() => this.broadcastComment('keepalive'), options.keepaliveMs ?? 15_000);
    this.keepalive.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Where the service's state stands, so a Last-Event-ID can be judged before any delta arrives. */
  setHead(epoch: string, seq: number): void {
    if (!this.head || this.head.epoch !== epoch || this.head.seq < seq) this.head = { epoch, seq };
  }

  async open(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const client: Client = { res, queued: [], lastSeq: -1, epoch: null };
    this.clients.add(client);
    const drop = (): void => { this.clients.delete(client); };
    req.on('close', drop);
    res.on('close', drop);
    res.on('error', drop);

    const last = parseEventId(header(req, 'last-event-id'));
    if (last && this.canReplay(last)) {
      client.epoch = last.epoch;
      client.lastSeq = last.seq;
      const missed = this.ring.filter((d) => d.seq > last.seq);
      client.queued = null;
      for (const d of missed) this.send(client, d);
      this.options.log.debug('event stream resumed', { replayed: missed.length });
      return;
    }
    let snapshot: StateSnapshot;
    try {
      // ?taskLimit=N: a page's first screenful (validated by the route); it asks for the rest itself.
      snapshot = await this.options.service.getState(stateOptionsFromQuery(req));
    } catch (err) {
      this.options.log.error('event stream could not read the state', { error: String(err) });
      this.clients.delete(client);
      res.destroy();
      return;
    }
    if (!this.clients.has(client)) return;
    this.setHead(snapshot.epoch, snapshot.seq);
    client.epoch = snapshot.epoch;
    client.lastSeq = snapshot.seq;
    this.write(client, frame('snapshot', eventId(snapshot.epoch, snapshot.seq), snapshot));
    const queued = client.queued ?? [];
    client.queued = null;
    for (const d of queued) this.send(client, d);
    this.options.log.debug('event stream opened', { clients: this.clients.size });
  }

  /** Ends every stream (shutdown) and stops listening to the service. */
  close(): void {
    clearInterval(this.keepalive);
    this.unsubscribe();
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }

  private canReplay(last: { epoch: string; seq: number }): boolean {
    const head = this.head;
    if (!head || head.epoch !== last.epoch || last.seq > head.seq) return false;
    if (last.seq === head.seq) return true;
    const oldest = this.ring.find((d) => d.epoch === head.epoch);
    return oldest !== undefined && oldest.seq <= last.seq + 1;
  }

  private publish(delta: StateDelta): void {
    if (this.head && this.head.epoch !== delta.epoch) this.ring.length = 0;
    this.head = { epoch: delta.epoch, seq: delta.seq };
    this.ring.push(delta);
    if (this.ring.length > this.ringSize) this.ring.shift();
    for (const c of this.clients) {
      if (c.queued) c.queued.push(delta);
      else this.send(c, delta);
    }
  }

  private send(client: Client, delta: StateDelta): void {
    // A delta the client's snapshot already contains is skipped; a new epoch always goes through
    // (the page sees it and fetches a fresh snapshot).
    if (client.epoch === delta.epoch && delta.seq <= client.lastSeq) return;
    client.epoch = delta.epoch;
    client.lastSeq = delta.seq;
    this.write(client, frame('delta', eventId(delta.epoch, delta.seq), delta));
  }

  private write(client: Client, text: string): void {
    if (client.res.writableLength > this.maxBuffered) {
      this.options.log.warn('event stream dropped a client that stopped reading');
      this.clients.delete(client);
      client.res.destroy();
      return;
    }
    client.res.write(text);
  }

  private broadcastComment(text: string): void {
    for (const c of this.clients) if (!c.queued) this.write(c, `: ${text}\n\n`);
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
