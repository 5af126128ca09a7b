/**
 * End-to-end tests in Chromium against the web mode (and the Electron app when its binary is
 * present). The system Chromium is used: Playwright's own browsers are not downloaded.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: /.*\.spec\.ts$/,
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [['list'], ['./test/e2e/summary-reporter.ts']],
  outputDir: 'test-results/artifacts',
  use: {
    viewport: { width: 1360, height: 840 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
  },
});
