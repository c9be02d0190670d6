import { defineConfig } from "vitest/config";

// Two projects: fast unit tests that sit next to the code, and integration suites under test/
// that spawn the real daemon, real bubblewrap and real sockets on loopback.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["protocol/**/*.test.ts", "server/**/*.test.ts", "clients/**/*.test.ts"],
          testTimeout: 20_000,
          globalSetup: ["test/helpers/globalSetup.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/globalSetup.ts"],
        },
      },
    ],
  },
});
