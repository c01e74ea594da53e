// Fetches a feed item's image for upload. The URL comes from an untrusted feed: http(s) only,
// public addresses only (every redirect hop checked again), bounded in time and bytes, and only
// image types X accepts. Node's http(s) in both shells, not fetch: fetch (and Electron's
// net.fetch) has no hook between resolving a name and connecting to it, and net.fetch would
// send the desktop session's cookies.
//
// Each hop: the host is resolved and every address checked *before* any socket exists; the
// socket is then opened through the `connect` port to exactly those addresses (a lookup that
// answers only with them, re-checking), so a second DNS answer cannot swap in another address.
import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net, { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import { USER_AGENT } from '../../version';
import {
  assertAllowed, BlockedAddressError, guardedLookup, resolveAllowed, systemResolver,
  type AddressPolicy, type Resolver,
} from '../net/address-guard';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024; // X's limit for a still image
export const MAX_IMAGE_REDIRECTS = 5;

export class ImageDownloadError extends Error {
  override name = 'ImageDownloadError';
}

export type ImageType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface DownloadedImage {
  bytes: Buffer;
  mediaType: ImageType;
}

/** Where one hop connects: `addresses` are already checked; `lookup` answers only with them. */
export interface ConnectTarget {
  secure: boolean;
  host: string;
  port: number;
  addresses: LookupAddress[];
  lookup: LookupFunction;
}

/** Opens the socket for one hop. A port so tests can see (and forbid) every connection attempt. */
export type Connector = (target: ConnectTarget) => net.Socket;

export const connectDirect: Connector = ({ secure, host, port, lookup }) => {
  // Node calls `lookup` only for names; IP literals were checked before we got here.
  if (!secure) return net.connect({ host, port, lookup });
  return tls.connect({ host, port, lookup, ...(isIP(host) === 0 ? { servername: host } : {}) });
};

/** The network ports of a download; production uses the defaults. */
export interface ImageNetwork {
  /** Default: dns.lookup, every address. */
  resolve?: Resolver;
  /** Default: connectDirect. */
  connect?: Connector;
}

export interface ImageDownloadOptions extends ImageNetwork {
  timeoutMs: number;
  maxBytes?: number;
  /** Lets 127.0.0.0/8 and ::1 through (never private ranges): an engine option for tests, never a setting. */
  allowLoopback?: boolean;
}

export async function downloadImage(url: string, options: ImageDownloadOptions): Promise<DownloadedImage> {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const policy: AddressPolicy = { allowLoopback: options.allowLoopback === true };
  const hop: HopContext = {
    policy,
    resolve: options.resolve ?? systemResolver,
    connect: options.connect ?? connectDirect,
    signal: AbortSignal.timeout(options.timeoutMs),
    timeoutMs: options.timeoutMs,
  };
  let current = parseImageUrl(url);

  let response: IncomingMessage;
  for (let redirects = 0; ; redirects++) {
    response = await open(current, hop, redirects > 0);
    const status = response.statusCode ?? 0;
    if (![301, 302, 303, 307, 308].includes(status)) break;
    response.destroy();
    const location = response.headers.location;
    if (!location) throw new ImageDownloadError(`the image server answered HTTP ${status} without a Location`);
    if (redirects === MAX_IMAGE_REDIRECTS) throw new ImageDownloadError(`the image server redirected more than ${MAX_IMAGE_REDIRECTS} times`);
    current = redirectTarget(location, current);
  }

  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new ImageDownloadError(`the image server answered HTTP ${status}`);
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new ImageDownloadError(`the image is larger than ${maxBytes} bytes`);
  }

  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > maxBytes) throw new ImageDownloadError(`the image is larger than ${maxBytes} bytes`);
      chunks.push(chunk);
    }
  } catch (err) {
    response.destroy();
    if (err instanceof ImageDownloadError) throw err;
    if (hop.signal.aborted) throw timedOut(hop.timeoutMs);
    throw new ImageDownloadError(`the image download was interrupted (${errorCode(err)})`);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length === 0) throw new ImageDownloadError('the image is empty');

  const mediaType = sniffImageType(bytes);
  if (!mediaType) throw new ImageDownloadError('the file is not a JPEG, PNG, GIF or WebP image');
  return { bytes, mediaType };
}

interface HopContext {
  policy: AddressPolicy;
  resolve: Resolver;
  connect: Connector;
  signal: AbortSignal;
  timeoutMs: number;
}

function parseImageUrl(raw: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ImageDownloadError('the image URL is not valid');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ImageDownloadError('the image URL is not http(s)');
  return parsed;
}

function redirectTarget(location: string, from: URL): URL {
  const shown = location.slice(0, 200);
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ImageDownloadError(`the image server redirected to an invalid URL: ${shown}`);
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') {
    throw new ImageDownloadError(`the image server redirected to ${next.protocol} (${shown}); only http and https are followed`);
  }
  return next;
}

/** One request, headers received. Refuses the host before any connection is attempted. */
async function open(url: URL, hop: HopContext, redirected: boolean): Promise<IncomingMessage> {
  const secure = url.protocol === 'https:';
  // WHATWG URL has already normalised 0x7f.1, 2130706433 and 0177.0.0.1 to dotted IPv4.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? (secure ? 443 : 80) : Number(url.port);
  let addresses: LookupAddress[];
  try {
    const family = isIP(host);
    if (family !== 0) {
      // Node never calls `lookup` for an IP literal, so this check is the only one it gets.
      assertAllowed(host, host, hop.policy);
      addresses = [{ address: host, family }];
    } else {
      addresses = await untilAborted(resolveAllowed(host, hop.policy, hop.resolve), hop.signal);
    }
  } catch (err) {
    throw hopError(err, host, hop, redirected);
  }

  const target: ConnectTarget = { secure, host, port, addresses, lookup: guardedLookup(hop.policy, () => Promise.resolve(addresses)) };
  const transport = secure ? https : http;
  try {
    return await new Promise<IncomingMessage>((resolve, reject) => {
      const request = transport.request(url, {
        method: 'GET',
        headers: { 'User-Agent': USER_AGENT, Accept: 'image/*' },
        signal: hop.signal,
        createConnection: () => hop.connect(target),
      }, resolve);
      request.on('error', reject);
      request.end();
    });
  } catch (err) {
    throw hopError(err, host, hop, redirected);
  }
}

function hopError(err: unknown, host: string, hop: HopContext, redirected: boolean): ImageDownloadError {
  if (err instanceof BlockedAddressError) {
    return new ImageDownloadError(`the image was not fetched${redirected ? ' (after a redirect)' : ''}: ${err.message}`);
  }
  if (hop.signal.aborted) return timedOut(hop.timeoutMs);
  const code = errorCode(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new ImageDownloadError(`could not find the image server ${host} (DNS lookup failed)`);
  }
  return new ImageDownloadError(`the image could not be fetched (${code})`);
}

function timedOut(timeoutMs: number): ImageDownloadError {
  const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Number((timeoutMs / 1000).toFixed(1))} s`;
  return new ImageDownloadError(`the image download took longer than ${limit}`);
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : 'error';
}

/** DNS has no signal of its own: the deadline must also cover a resolver that never answers. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The bytes decide: servers often label images wrongly (application/octet-stream, text/html). */
function sniffImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 6).toString('latin1') === 'GIF87a' || bytes.subarray(0, 6).toString('latin1') === 'GIF89a') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}
