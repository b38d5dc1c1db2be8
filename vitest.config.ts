import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    // The service logs every request and sync; shown only for failing tests.
    silent: "passed-only",
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: more parallel files only queue on the shared PostgreSQL.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } }
  }
})
