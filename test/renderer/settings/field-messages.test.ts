// The settings forms check numbers themselves so that every field's problem shows at once; their
// words must be the engine's, so a field says the same thing whichever side refused it.
import { describe, expect, it } from 'vitest';
import type { FieldIssue } from '../../../preload/contract';
import { CommandError } from '../../../main/core/errors';
import { parseFeedPatch, parseSettingsPatch } from '../../../main/core/schemas';
import { FEED_NUMBERS } from '../../../renderer/settings/feed-patch';
import { numberRule, POSTING_FIELDS, type NumberField } from '../../../renderer/settings/settings-patch';

function engineSays(parse: (input: unknown) => unknown, key: string, value: number): FieldIssue | undefined {
  try {
    parse({ [key]: value });
  } catch (err) {
    if (err instanceof CommandError) return err.issues?.[0];
    throw err;
  }
  return undefined;
}

describe('number rules', () => {
  const numbers = POSTING_FIELDS.filter((f): f is NumberField => f.kind === 'int' || f.kind === 'decimal');

  it.each(numbers.map((f) => [f.key, f] as const))('word %s as the engine does, past either end', (key, f) => {
    for (const bad of [f.min - 1, f.max + 1]) expect(engineSays(parseSettingsPatch, key, bad)).toEqual({ field: key, message: numberRule(f) });
  });

  it.each(Object.entries(FEED_NUMBERS))('word the feed’s %s as the engine does', (key, rule) => {
    expect(engineSays(parseFeedPatch, key, rule.max + 1)).toEqual({ field: key, message: numberRule(rule) });
  });
});
