import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:container`: the image, built from the Dockerfile and run with Podman. Its own config,
// apart from `npm test` (vitest.config.ts leaves test/container/ out): a first run makes a base image
// and builds every layer, which takes minutes.
export default defineConfig({
  test: {
    name: "container",
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/container/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 1_200_000,
  },
});
