// Tasks and settings for the task-queue tests.
import type { Settings, Task } from '../../../preload/contract';
import { DEFAULT_SETTINGS } from '../../../main/core/defaults';

export function makeTask(overrides: Partial<Task> & { id: string }): Task {
  return {
    feedId: 'feed-1',
    itemId: `item-${overrides.id}`,
    itemTitle: `Title ${overrides.id}`,
    itemLink: `https://example.com/${overrides.id}`,
    text: `Post ${overrides.id} https://example.com/${overrides.id}`,
    imageUrl: null,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: null,
    error: null,
    postId: null,
    postUrl: null,
    dryRun: false,
    note: null,
    createdAt: '2026-01-15T11:00:00.000Z',
    updatedAt: '2026-01-15T11:00:00.000Z',
    ...overrides,
  };
}

export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}
