// The smoke test of the real app (run.mjs starts it: `npm run test:electron`). Not the main
// config: no `electron` mock alias (nothing here imports electron; the app runs in its own
// process), no global build (run.mjs builds), and only *.smoke.ts, which `npm test`'s include
// (test/**/*.test.ts) never matches.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/electron-smoke/**/*.smoke.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
