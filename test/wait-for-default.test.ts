// The suite's setup (test/support/wait-for-default.ts) gives vi.waitFor a longer default.
import { describe, expect, it, vi } from 'vitest';

describe('vi.waitFor in this suite', () => {
  it('waits longer than vitest’s 1 s default for something real to happen', async () => {
    const start = Date.now();
    let done = false;
    setTimeout(() => { done = true; }, 1_500);
    await vi.waitFor(() => { if (!done) throw new Error('not yet'); });
    expect(Date.now() - start).toBeGreaterThanOrEqual(1_400);
  });
});
