import { defineConfig } from "vitest/config"

/**
 * The fault suite (issue #10): each file starts its own PostgreSQL, service process and
 * simulator, and breaks one of them. Named *.faults.ts so the unit run does not pick them up.
 */
export default defineConfig({
  test: {
    include: ["test/faults/**/*.faults.ts"],
    globalSetup: ["test/support/build-setup.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Two cores: two worlds at once is already four busy processes.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } }
  }
})
