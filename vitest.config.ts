import { defineConfig } from 'vitest/config';

// Three tiers: unit (pure, fast), integration (real local parts: loopback servers, Docker, S3-compatible
// server), live (real GPUs and AWS; skipped unless LIVE=1). `npm test` runs unit and integration.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: 'output/test-results.json' }]],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Integration tests measure timing and share Docker: run files one at a time.
          fileParallelism: false,
        },
      },
      { test: { name: 'live', include: ['test/live/**/*.test.ts'], testTimeout: 600_000 } },
    ],
  },
});
