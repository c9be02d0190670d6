import { defineConfig } from "vitest/config";

// Three projects: fast unit tests that sit next to the code, integration suites under test/ that
// spawn the real daemon, real bubblewrap and real sockets on loopback, and the layering and
// no-cycles check, which reads source files only and is also part of `npm run check`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["protocol/**/*.test.ts", "server/**/*.test.ts", "clients/**/*.test.ts", "deploy/**/*.test.ts"],
          testTimeout: 20_000,
          globalSetup: ["test/helpers/globalSetup.ts"],
        },
      },
      {
        test: {
          name: "layering",
          include: ["test/architecture/layering.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          // test/container/ builds and runs the image: `npm run test:container`, with its own config.
          exclude: ["test/architecture/layering.test.ts", "test/container/**", "**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["test/helpers/globalSetup.ts"],
        },
      },
    ],
  },
});
