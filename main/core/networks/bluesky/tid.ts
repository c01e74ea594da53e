// Bluesky record keys for posts. A post's key must be a TID (atproto spec: 13 characters of
// base32-sortable, a 64-bit number whose top bit is 0, then 53 bits of microseconds since the
// epoch and 10 bits of clock id) — a post stored under any other key is kept by the PDS but
// never shown in the app (social-app#8654). Crier chooses the key itself, so a retry of the
// same task can look the record up instead of posting twice.
//
// The key is minted once per task, from the task's creation time and id, and stored on the
// task before the first attempt (`tidFor`). Readers sort records by key, so a key carrying the
// task's real time keeps an account's posts in order. `tidFromKey` turns whatever stable key a
// task carries into the TID posted under: a TID passes through unchanged; any other string
// (a task stored before this existed, say) maps to a TID by its SHA-256, always the same one.
import { createHash } from 'node:crypto';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';
const TID_PATTERN = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;

/** 2^53 µs: the timestamp field's width. */
const MAX_MICROS = 2n ** 53n;
/** Where keys that carry no time of their own are placed: one year from 2024-01-01 UTC. */
const UNTIMED_FROM_MS = Date.UTC(2024, 0, 1);
const UNTIMED_SPAN_MS = 365 * 24 * 60 * 60 * 1000;

export function isValidTid(value: string): boolean {
  return value.length === 13 && TID_PATTERN.test(value);
}

function digest(seed: string): bigint {
  return BigInt(`0x${createHash('sha256').update(seed, 'utf8').digest('hex').slice(0, 16)}`);
}

function encode(value: bigint, chars: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < chars; i++) {
    out = ALPHABET[Number(rest % 32n)] + out;
    rest /= 32n;
  }
  return out;
}

/**
 * The TID for a task created at `atMs` (epoch ms) with id `seed`: that millisecond, a
 * sub-millisecond part and the clock id taken from the seed's hash — so two tasks made in the
 * same millisecond get different keys, and the same task always gets the same one.
 */
export function tidFor(atMs: number, seed: string): string {
  const hash = digest(seed);
  const ms = Number.isFinite(atMs) ? BigInt(Math.max(0, Math.floor(atMs))) : 0n;
  const micros = (ms * 1000n + (hash % 1000n)) % MAX_MICROS;
  const clockId = (hash >> 20n) % 1024n;
  return encode((micros << 10n) | clockId, 13);
}

/** The record key a post with this task key goes under: always a valid TID, always the same for a key. */
export function tidFromKey(key: string): string {
  if (isValidTid(key)) return key;
  const hash = digest(`crier-untimed:${key}`);
  return tidFor(UNTIMED_FROM_MS + Number(hash % BigInt(UNTIMED_SPAN_MS)), key);
}

/** The epoch ms a TID carries (for tests and logs). */
export function tidTimeMs(tid: string): number {
  let value = 0n;
  for (const ch of tid) value = value * 32n + BigInt(ALPHABET.indexOf(ch));
  return Number((value >> 10n) / 1000n);
}
