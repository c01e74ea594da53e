// Who may talk to the server: the Host allowlist (against DNS rebinding), the token (header or
// port-named cookie), and the URL-token-for-cookie exchange.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Hex or base64url, long enough to be a secret. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,512}$/;

export function cookieName(port: number): string {
  return `crier_token_${port}`;
}

/** host:port strings a request's Host (and Origin) may name. */
export function allowedHosts(boundHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]', formatHost(boundHost)]);
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

/** IPv6 literals go in brackets in a URL or Host header. */
export function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowed.has(host.toLowerCase());
}

/** A cross-origin browser request carries an Origin we do not serve; same-origin or none is fine. */
export function originAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && allowed.has(url.host.toLowerCase());
  } catch {
    return false;
  }
}

/** Compares in constant time whatever the lengths: both sides are hashed to 32 bytes first. */
export function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = createHash('sha256').update(candidate).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

export function requestAuthorized(req: IncomingMessage, token: string, port: number): boolean {
  return tokenMatches(bearerToken(req), token) || tokenMatches(readCookie(req, cookieName(port)), token);
}

export function tokenCookie(port: number, token: string): string {
  // No Secure flag: the server speaks plain HTTP on loopback, where browsers treat it as secure anyway.
  return `${cookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
