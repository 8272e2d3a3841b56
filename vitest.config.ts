import { defineConfig } from "vitest/config";

// One runner for every package; tests sit next to the code they test.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Several suites start real servers and databases; two cores do not like many at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
