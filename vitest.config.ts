import { defineConfig } from 'vitest/config';

const env = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
};

export default defineConfig({
  test: {
    // Integration tests mostly wait (emulators, the simulator's task timers, child processes), so three files at a
    // time on 2 cores finish the suite in about 40 % of the time one at a time takes (vitest's default here: cores - 1).
    maxWorkers: 3,
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], env } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          env,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      { test: { name: 'infra', include: ['test/infra/**/*.test.ts'], env, testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
