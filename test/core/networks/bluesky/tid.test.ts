import { TID } from '@atproto/common-web';
import { isValidTid as atprotoIsValidTid } from '@atproto/syntax';
import { describe, expect, it } from 'vitest';
import { isValidTid, tidFor, tidFromKey, tidTimeMs } from '../../../../main/core/networks/bluesky/tid';

const ALPHABET = '234567abcdefghijklmnopqrstuvwxyz';

/** A small seeded generator, so a failing key can be found again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomKey(next: () => number): string {
  const pool = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:./ é日本👩‍👧';
  const chars = [...pool];
  const length = 1 + Math.floor(next() * 40);
  let out = '';
  for (let i = 0; i < length; i++) out += chars[Math.floor(next() * chars.length)];
  return out;
}

function assertSpecTid(tid: string): void {
  expect(tid).toHaveLength(13);
  expect(tid).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
  // The 64-bit value's top bit is the top bit of the first character's 5 (65 bits in all): 0.
  expect(ALPHABET.indexOf(tid[0] ?? '')).toBeLessThan(16);
  expect(atprotoIsValidTid(tid)).toBe(true);
  expect(isValidTid(tid)).toBe(true);
}

describe('tidFromKey', () => {
  it('maps 3,000 random keys to valid, distinct TIDs, the same TID each time for a key', () => {
    const next = random(18);
    const seen = new Map<string, string>();
    for (let i = 0; i < 3000; i++) {
      const key = `${randomKey(next)}#${i}`;
      const tid = tidFromKey(key);
      assertSpecTid(tid);
      expect(tidFromKey(key)).toBe(tid);
      expect(seen.get(tid)).toBeUndefined();
      seen.set(tid, key);
    }
  });

  it('passes a key that is a TID through unchanged', () => {
    const tid = tidFor(Date.UTC(2026, 0, 15, 12), 'task-1');
    expect(tidFromKey(tid)).toBe(tid);
  });

  it('gives a key that carries no time a TID in 2024, never in the future', () => {
    for (const key of ['', 'task-1', 'x'.repeat(500), '3jzfcijpj2z2']) {
      const at = tidTimeMs(tidFromKey(key));
      expect(at).toBeGreaterThanOrEqual(Date.UTC(2024, 0, 1));
      expect(at).toBeLessThan(Date.UTC(2025, 0, 1));
    }
  });

  it('maps keys that are almost TIDs (a 14th character, an upper-case letter, a leading k) to other valid TIDs', () => {
    const tid = tidFor(Date.UTC(2026, 0, 15), 'task');
    for (const near of [`${tid}2`, tid.toUpperCase(), `k${tid.slice(1)}`, tid.slice(0, 12)]) {
      const mapped = tidFromKey(near);
      assertSpecTid(mapped);
      expect(mapped).not.toBe(near);
    }
  });
});

describe('tidFor', () => {
  it("carries the task's millisecond, as the atproto library reads it back", () => {
    const next = random(7);
    for (let i = 0; i < 1000; i++) {
      const at = Date.UTC(2023, 0, 1) + Math.floor(next() * 20 * 365 * 86_400_000);
      const tid = tidFor(at, `task-${i}`);
      assertSpecTid(tid);
      expect(tidTimeMs(tid)).toBe(at);
      expect(Math.floor(TID.fromStr(tid).timestamp() / 1000)).toBe(at);
      expect(TID.fromStr(tid).clockid()).toBeLessThan(1024);
    }
  });

  it('sorts by time: a later task gets a later key, and two tasks in one millisecond get different keys', () => {
    const at = Date.UTC(2026, 5, 1);
    expect(tidFor(at, 'b') < tidFor(at + 1, 'a')).toBe(true);
    expect(tidFor(at, 'a')).not.toBe(tidFor(at, 'b'));
    expect(tidFor(at, 'a')).toBe(tidFor(at, 'a'));
  });

  it('stays valid for times out of range (before the epoch, not a number)', () => {
    assertSpecTid(tidFor(-5, 'x'));
    assertSpecTid(tidFor(Number.NaN, 'x'));
  });
});
