// A feed from wherever the CLI is pointed: an http(s) URL (fetched under the same caps as the
// engine's polls) or a local file (a path or a file:// URL). Used by `crier parse` and `crier preview`.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fetchFeed, formatMegabytes } from './fetch';
import { FeedError, type FeedParser, type NormalizedFeed } from './types';

export interface FeedSourceOptions {
  parser: FeedParser;
  timeoutMs: number;
  maxBytes: number;
  fetch?: typeof globalThis.fetch;
}

async function readLocal(path: string, maxBytes: number): Promise<Uint8Array> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FeedError('file', `not a file: ${path}`);
    size = info.size;
  } catch (err) {
    if (err instanceof FeedError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new FeedError('file', `no such file: ${path}`);
    if (code === 'EACCES' || code === 'EPERM') throw new FeedError('file', `cannot read ${path}: permission denied`);
    throw new FeedError('file', `cannot read ${path}: ${code ?? String(err)}`);
  }
  if (size > maxBytes) throw new FeedError('too-large', `feed too large: over ${formatMegabytes(maxBytes)}`);
  try {
    return await readFile(path);
  } catch (err) {
    throw new FeedError('file', `cannot read ${path}: ${(err as { code?: string }).code ?? String(err)}`);
  }
}

export async function loadFeedSource(source: string, options: FeedSourceOptions): Promise<NormalizedFeed> {
  if (/^https?:\/\//i.test(source)) {
    const result = await fetchFeed(source, { timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, ...(options.fetch ? { fetch: options.fetch } : {}) });
    // No validators were sent, so a 304 here is the server misbehaving.
    if (result.kind === 'not-modified') throw new FeedError('http-status', 'HTTP 304 Not Modified to an unconditional request', 304);
    return options.parser.parse(result.body, result.contentType, result.finalUrl);
  }
  let path: string;
  if (/^file:/i.test(source)) {
    try {
      path = fileURLToPath(source);
    } catch {
      throw new FeedError('invalid-url', `not a valid file URL: ${source.slice(0, 200)}`);
    }
  } else if (/^[a-z][a-z0-9+.-]+:/i.test(source) && !existsSync(source)) {
    // javascript:, data:, ftp://… — two letters at least, so a Windows drive (C:) is a path.
    throw new FeedError('invalid-url', `only http, https and local files can be read, not ${source.split(':')[0]}:`);
  } else {
    path = resolve(source);
  }
  const bytes = await readLocal(path, options.maxBytes);
  return options.parser.parse(bytes, null, pathToFileURL(path).href);
}
