import { describe, expect, it } from 'vitest';
import { attemptOutcome } from '../../../renderer/tasks/row-history';
import { lengthWords } from '../../../renderer/tasks/row-edit';
import { repeatsAsIs } from '../../../renderer/tasks/row-words';

describe('attemptOutcome', () => {
  it('says posted, a dry run, or the failure with its kind, status and message', () => {
    expect(attemptOutcome({ at: '', endedAt: '', outcome: 'posted', dryRun: false })).toBe('Posted');
    expect(attemptOutcome({ at: '', endedAt: '', outcome: 'posted', dryRun: true })).toBe('Posted (dry run)');
    expect(attemptOutcome({ at: '', endedAt: '', outcome: 'failed', dryRun: false, error: { kind: 'server', message: 'X answered 503', httpStatus: 503 } }))
      .toBe('Failed: X server error (503) — X answered 503');
    expect(attemptOutcome({ at: '', endedAt: '', outcome: 'failed', dryRun: false, error: { kind: 'invalid-post', message: 'X rejected the post (400): too long', httpStatus: 400 } }))
      .toBe('Failed: Rejected by X — X rejected the post (400): too long');
    expect(attemptOutcome({ at: '', endedAt: '', outcome: 'failed', dryRun: false, error: null })).toBe('Failed');
  });
});

describe('lengthWords', () => {
  it('counts up to 280 and says by how much a text is over', () => {
    expect(lengthWords(56, 224)).toBe('56 / 280');
    expect(lengthWords(280, 0)).toBe('280 / 280');
    expect(lengthWords(291, -11)).toBe('11 over the limit of 280');
  });
});

describe('repeatsAsIs', () => {
  it('names the failures that sending the same text again would repeat', () => {
    expect(repeatsAsIs('invalid-post')).toBe(true);
    expect(repeatsAsIs('duplicate')).toBe(true);
    expect(repeatsAsIs('server')).toBe(false);
    expect(repeatsAsIs(undefined)).toBe(false);
  });
});
