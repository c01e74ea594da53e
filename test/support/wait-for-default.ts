// vi.waitFor waits for something real here (a loopback fetch, a parse in a worker, a child
// process): its default of 1 s made correct tests fail when 2 shared cores were loaded. Like
// expect.poll in vitest.config.ts, it now waits up to 10 s by default; a test may still pass its own.
import { vi } from 'vitest';

const waitFor = vi.waitFor.bind(vi);
vi.waitFor = ((callback: Parameters<typeof vi.waitFor>[0], options?: Parameters<typeof vi.waitFor>[1]) =>
  waitFor(callback, typeof options === 'number' ? options : { timeout: 10_000, interval: 50, ...options })) as typeof vi.waitFor;
