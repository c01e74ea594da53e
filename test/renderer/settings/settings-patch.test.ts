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
      'pricePerPostUsd', 'pricePerPostWithUrlUsd', 'retryBaseSeconds', 'retryMaxSeconds', 'startAtLogin',
    ]);
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

  it('leaves range checks to the server, so its message shows by the field', () => {
    const raw = { ...rawOf(SETTINGS), dailyCap: '99999' };
    expect(settingsPatch(SETTINGS, readSettingsForm(raw).values)).toEqual({ dailyCap: 99999 });
  });

  it('reports an empty or fractional count against its field instead of sending it', () => {
    const { values, errors } = readSettingsForm({ ...rawOf(SETTINGS), dailyCap: '', maxAttempts: '2.5' });
    expect(errors).toEqual({ dailyCap: 'Enter a number.', maxAttempts: 'Enter a whole number.' });
    expect(values.dailyCap).toBeUndefined();
  });

  it('accepts decimals for prices', () => {
    expect(parseNumber(' 0.015 ', 'decimal')).toBe(0.015);
    expect(parseNumber('abc', 'decimal')).toBe('Enter a number.');
  });
});
