import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/interop/**/*.test.ts'],
    // Every reply and event the handlers give in a test is checked against the contract.
    env: { SESSIONDECK_CHECK_REPLIES: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-cli.ts'],
    setupFiles: ['test/helpers/isolated-data-dir.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
