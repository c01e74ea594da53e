// Reading a request body with a hard size cap: over the cap we stop keeping bytes at once,
// so a 5 MB upload costs no more memory than a 1 MB one.
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../shell/http-error';

export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(): HttpError {
  return new HttpError(413, 'payload-too-large', `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (err: Error | null, value?: Buffer): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (err) reject(err); else resolve(value ?? Buffer.alloc(0));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish(null, Buffer.concat(chunks)));
    req.on('error', (err) => finish(err));
    req.on('aborted', () => finish(new HttpError(400, 'aborted', 'The request was aborted.')));
  });
}

/** The media type without parameters, lower-cased; '' when absent. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

export const OPML_TYPES = new Set(['text/x-opml', 'application/xml', 'text/xml']);

function hasBody(req: IncomingMessage, body: Buffer): boolean {
  return body.length > 0 || Number(req.headers['content-length'] ?? 0) > 0;
}

/** The JSON a route takes, or undefined when the request carried no body at all. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = mediaType(req);
  if (type !== '' && type !== 'application/json') {
    throw new HttpError(415, 'unsupported-media-type', `This route takes application/json, not ${type.slice(0, 100)}.`);
  }
  const body = await readBody(req);
  if (!hasBody(req, body)) return undefined;
  if (type === '') throw new HttpError(415, 'unsupported-media-type', 'Send the body as application/json.');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'malformed-json', 'The request body is not valid JSON.');
  }
}

export async function readOpmlText(req: IncomingMessage): Promise<string> {
  const type = mediaType(req);
  if (!OPML_TYPES.has(type)) {
    throw new HttpError(415, 'unsupported-media-type', 'Send OPML as text/x-opml, application/xml or text/xml.');
  }
  return (await readBody(req)).toString('utf8');
}
