import { describe, expect, it } from 'vitest';
import { CommandError } from '../../main/core/errors';
import { parseFeedInput, parseFeedPatch, parseId, parsePreviewRequest, parseSettingsPatch } from '../../main/core/schemas';

function rejection(run: () => unknown): CommandError {
  try {
    run();
  } catch (err) {
    if (err instanceof CommandError) return err;
    throw err;
  }
  throw new Error('expected a CommandError');
}

describe('command input validation', () => {
  it.each([
    ['minPostGapSeconds', 0, 86_400],
    ['dailyCap', 0, 2400],
    ['retryBaseSeconds', 1, 3600],
    ['maxAttempts', 1, 20],
  ] as const)('takes %s from %i to %i and refuses one beyond either end, naming the field', (field, min, max) => {
    expect(parseSettingsPatch({ [field]: min })).toEqual({ [field]: min });
    expect(parseSettingsPatch({ [field]: max })).toEqual({ [field]: max });
    for (const bad of [min - 1, max + 1, min + 0.5]) {
      expect(rejection(() => parseSettingsPatch({ [field]: bad }))).toMatchObject({ code: 'validation', field });
    }
  });

  it('takes a feed interval from 1 to 1440 minutes, on a new feed and in a patch', () => {
    expect(parseFeedInput({ url: 'https://example.com/feed', intervalMinutes: 1 }).intervalMinutes).toBe(1);
    expect(parseFeedPatch({ intervalMinutes: 1440 })).toEqual({ intervalMinutes: 1440 });
    expect(rejection(() => parseFeedInput({ url: 'https://example.com/feed', intervalMinutes: 0 }))).toMatchObject({ field: 'intervalMinutes' });
    expect(rejection(() => parseFeedPatch({ intervalMinutes: 1441 }))).toMatchObject({ field: 'intervalMinutes' });
  });

  it('refuses unknown fields, naming the first one', () => {
    const err = rejection(() => parseSettingsPatch({ dailyCap: 5, secretKnob: true }));
    expect(err).toMatchObject({ code: 'validation', field: 'secretKnob' });
    expect(err.message).toMatch(/Unknown field: secretKnob/);
    expect(rejection(() => parseFeedInput({ url: 'https://example.com/feed', status: 'x' }))).toMatchObject({ field: 'status' });
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'ftp://example.com/feed', 'data:text/xml,<rss/>', 'not a url', ''])(
    'accepts only http and https feed URLs, refusing %j on the url field',
    (url) => {
      expect(rejection(() => parseFeedInput({ url }))).toMatchObject({ code: 'validation', field: 'url' });
      expect(rejection(() => parsePreviewRequest({ url }))).toMatchObject({ code: 'validation', field: 'url' });
    },
  );

  it('bounds string lengths: URLs, names, templates, keywords and ids', () => {
    const long = (n: number) => 'a'.repeat(n);
    expect(rejection(() => parseFeedInput({ url: `https://example.com/${long(2048)}` }))).toMatchObject({ field: 'url' });
    expect(rejection(() => parseFeedPatch({ name: long(201) }))).toMatchObject({ field: 'name' });
    expect(rejection(() => parseFeedPatch({ template: long(1001) }))).toMatchObject({ field: 'template' });
    expect(rejection(() => parseFeedPatch({ include: [long(201)] }))).toMatchObject({ field: 'include.0' });
    expect(rejection(() => parseId(long(101)))).toMatchObject({ field: 'id' });
    expect(rejection(() => parseId('../etc'))).toMatchObject({ field: 'id' });
  });

  it('gives every refusal a code, a message and the field, as a CommandError', () => {
    const err = rejection(() => parseSettingsPatch({ dailyCap: 'lots' }));
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'validation', field: 'dailyCap' });
    expect(err.message).toBe('The daily cap is a whole number from 0 to 2,400.');
    expect(err.issues).toEqual([{ field: 'dailyCap', message: 'The daily cap is a whole number from 0 to 2,400.' }]);
  });
});

describe('optional fields sent as undefined', () => {
  it('are dropped, so a merge over defaults or stored values never blanks them', () => {
    expect(parseFeedPatch({ name: undefined, intervalMinutes: 30 })).toEqual({ intervalMinutes: 30 });
    expect(Object.keys(parseFeedInput({ url: 'https://example.com/feed.xml', template: undefined }))).toEqual(['url']);
    expect(parseSettingsPatch({ dailyCap: undefined })).toEqual({});
  });
});
