import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Electron's binary cannot run here: every import of 'electron' meets the mock.
    alias: { electron: fileURLToPath(new URL('./test/mocks/electron.ts', import.meta.url)) },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/support/wait-for-default.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // How long expect.poll waits for a page or a process to get there, not a timing assertion:
    // on 2 shared cores a browser round trip can take seconds, and 1 s (the default) made
    // correct pages fail under load.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    pool: 'forks',
    // 2 cores: browser and child-process suites contend with each other beyond this.
    maxWorkers: 2,
  },
});
