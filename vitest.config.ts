import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-azurite.ts"],
    // Storage tests talk to one in-memory Azurite over HTTP; a slow CI core must not turn waits into failures.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
