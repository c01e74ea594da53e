import { describe, expect, it } from 'vitest';
import { exactTime, relativeTime } from '../../common/time';

const now = Date.parse('2026-03-01T12:00:00.000Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('relativeTime', () => {
  it('calls anything within ten seconds "just now"', () => {
    expect(relativeTime(at(-4_000), now)).toBe('just now');
    expect(relativeTime(at(9_000), now)).toBe('just now');
  });

  it('counts past times in the largest whole unit', () => {
    expect(relativeTime(at(-45_000), now)).toBe('45 s ago');
    expect(relativeTime(at(-5 * 60_000), now)).toBe('5 min ago');
    expect(relativeTime(at(-3 * 3_600_000 - 59_000), now)).toBe('3 h ago');
    expect(relativeTime(at(-2 * 86_400_000), now)).toBe('2 d ago');
    expect(relativeTime(at(-400 * 86_400_000), now)).toBe('1 y ago');
  });

  it('says "in …" for times still to come', () => {
    expect(relativeTime(at(4 * 60_000), now)).toBe('in 4 min');
    expect(relativeTime(at(2 * 3_600_000), now)).toBe('in 2 h');
  });

  it('gives an empty string for a missing or unreadable date', () => {
    expect(relativeTime(null, now)).toBe('');
    expect(relativeTime('yesterday-ish', now)).toBe('');
    expect(exactTime('nope')).toBe('');
  });

  it('gives an exact time that names the year', () => {
    expect(exactTime('2026-03-01T12:00:00.000Z', 'en-GB')).toContain('2026');
  });
});
