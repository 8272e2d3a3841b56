import vue from "@vitejs/plugin-vue";
import { defineConfig } from "vitest/config";

// One runner for every package; tests sit next to the code they test.
export default defineConfig({
  test: {
    // Several suites start real servers, databases and browsers; two cores do not like many at once.
    maxWorkers: 2,
    fileParallelism: true,
    projects: [
      {
        test: {
          name: "node",
          include: ["packages/{protocol,server,widget}/src/**/*.test.ts", "packages/{protocol,server,widget}/test/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        // The agent inbox's components and stores, in a simulated DOM.
        plugins: [vue()],
        test: {
          name: "web",
          include: ["packages/web/src/**/*.test.ts"],
          environment: "happy-dom",
          // Mounted components get the app's i18n (for `$t` and <i18n-t>), in English.
          setupFiles: ["packages/web/src/testing/setup-i18n.ts"],
          testTimeout: 30_000,
        },
      },
      {
        // The agent inbox end to end: a real Parley and Debian's Chromium through playwright-core.
        test: {
          name: "web-e2e",
          include: ["e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
