import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../preload/contract';
import { controlValue, parseNumber, POSTING_FIELDS, readSettingsForm, settingsPatch } from '../../../renderer/settings/settings-patch';

const SETTINGS: Settings = {
  minPostGapSeconds: 60, dailyCap: 50, retryBaseSeconds: 30, retryMaxSeconds: 3600, maxAttempts: 8,
  maxFeedBytes: 10 * 1024 * 1024, fetchTimeoutSeconds: 20, historyLimit: 5000, failedHistoryLimit: 10_000, maxConcurrentFetches: 4,
  defaultIntervalMinutes: 15, dryRun: false, startAtLogin: false, pricePerPostUsd: 0.015,
  pricePerPostWithUrlUsd: 0.2, notifications: 'failures', checkTimelineBeforeResend: true,
};
const rawOf = (s: Settings): Record<string, string | boolean> => Object.fromEntries(POSTING_FIELDS.map((f) => [f.key, controlValue(s, f)]));

describe('the posting form', () => {
  it('edits the rules the issue lists, and the two prices', () => {
    expect(POSTING_FIELDS.map((f) => f.key).sort()).toEqual([
      'checkTimelineBeforeResend', 'dailyCap', 'defaultIntervalMinutes', 'dryRun', 'failedHistoryLimit', 'historyLimit', 'maxAttempts', 'minPostGapSeconds', 'notifications',
      'monthlySpendLimitUsd', 'pricePerPostUsd', 'pricePerPostWithUrlUsd', 'retryBaseSeconds', 'retryMaxSeconds', 'startAtLogin',
    ].sort());
  });

  it('reads an empty monthly spending limit as no limit, and a number as the limit', () => {
    expect(readSettingsForm({ ...rawOf(SETTINGS), monthlySpendLimitUsd: '' }).values.monthlySpendLimitUsd).toBe(null);
    expect(settingsPatch({ ...SETTINGS, monthlySpendLimitUsd: null }, readSettingsForm({ ...rawOf(SETTINGS), monthlySpendLimitUsd: '25' }).values)).toEqual({ monthlySpendLimitUsd: 25 });
    expect(settingsPatch({ ...SETTINGS, monthlySpendLimitUsd: 25 }, readSettingsForm({ ...rawOf(SETTINGS), monthlySpendLimitUsd: ' ' }).values)).toEqual({ monthlySpendLimitUsd: null });
    expect(readSettingsForm({ ...rawOf(SETTINGS), monthlySpendLimitUsd: '-1' }).errors.monthlySpendLimitUsd).toBe('The monthly spending limit is a number from 0 to 100,000 (US dollars).');
  });

  it('reads back exactly the settings it was filled with, so an untouched form has nothing to save', () => {
    const { values, errors } = readSettingsForm(rawOf(SETTINGS));
    expect(errors).toEqual({});
    expect(settingsPatch(SETTINGS, values)).toEqual({});
  });

  it('puts only the changed fields in the patch', () => {
    const raw = { ...rawOf(SETTINGS), dailyCap: '10', dryRun: true, notifications: 'off', pricePerPostWithUrlUsd: '0.25' };
    expect(settingsPatch(SETTINGS, readSettingsForm(raw).values)).toEqual({ dailyCap: 10, dryRun: true, notifications: 'off', pricePerPostWithUrlUsd: 0.25 });
  });

  it('checks ranges itself, every field at once, in the words the engine uses', () => {
    const { values, errors } = readSettingsForm({ ...rawOf(SETTINGS), dailyCap: '99999', minPostGapSeconds: '-1', pricePerPostUsd: '101' });
    expect(errors).toEqual({
      minPostGapSeconds: 'The minimum gap between posts is a whole number of seconds from 0 to 86,400.',
      dailyCap: 'The daily cap is a whole number from 0 to 2,400.',
      pricePerPostUsd: 'The price per post is a number from 0 to 100 (US dollars).',
    });
    expect(values.dailyCap).toBeUndefined();
  });

  it('reports an empty or fractional count against its field instead of sending it', () => {
    const { values, errors } = readSettingsForm({ ...rawOf(SETTINGS), dailyCap: '', maxAttempts: '2.5' });
    expect(errors).toEqual({ dailyCap: 'The daily cap is a whole number from 0 to 2,400.', maxAttempts: 'The number of attempts is a whole number from 1 to 20.' });
    expect(values.dailyCap).toBeUndefined();
  });

  it('accepts decimals for prices', () => {
    expect(parseNumber(' 0.015 ', 'decimal')).toBe(0.015);
    expect(parseNumber('abc', 'decimal')).toBe('Enter a number.');
  });
});
