import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/helpers/summary-reporter.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/shared-note.global.ts'],
    reporters: ['default', new SummaryReporter()],
  },
});
