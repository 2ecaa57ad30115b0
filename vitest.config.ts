import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['api/**/*.test.ts', 'db/**/*.test.ts', 'web/**/*.test.ts', 'evals/**/*.test.ts', 'prompts/**/*.test.ts'],
    exclude: ['node_modules/**', 'web/dist/**'],
    globalSetup: ['./web/e2e/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000, // 30 s: browser tests start Chromium and the server
    hookTimeout: 60_000,
  },
});
