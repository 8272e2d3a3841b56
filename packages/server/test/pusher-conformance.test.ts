/**
 * The Pusher conformance suite (pusher-conformance.ts) on one node, and on three nodes sharing
 * PostgreSQL and Redis. The three-node run needs DATABASE_URL and REDIS_URL (CI sets both) and is
 * skipped otherwise; it runs under a Redis key prefix of its own, removed afterwards.
 */
import { describe } from "vitest";
import { deleteKeysWithPrefix, keysWithPrefix, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { createPostgresDatabase } from "./databases.ts";
import { startTestParley, type TestParley } from "./parley.ts";
import { CONFORMANCE_TIMINGS, conformanceEnv, runConformance } from "./pusher-conformance.ts";

const redisUrl = process.env["REDIS_URL"] || undefined;
const databaseUrl = process.env["DATABASE_URL"] || undefined;

runConformance("one node", async (apps) => {
  const node = await startTestParley("pglite", conformanceEnv(apps), { hostedAppTimings: CONFORMANCE_TIMINGS });
  let stopped: Promise<void> | undefined;
  return { nodes: [node], stop: () => (stopped ??= node.stop()) };
});

describe.skipIf(redisUrl === undefined || databaseUrl === undefined)("three nodes on PostgreSQL and Redis", () => {
  runConformance("three nodes", async (apps) => {
    const prefix = uniqueTestPrefix();
    const database = await createPostgresDatabase();
    const nodes: TestParley[] = [];
    const env = { ...conformanceEnv(apps), REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix };
    // One after the other: the first migrates and creates Parley's own app credentials.
    for (let i = 0; i < 3; i++) nodes.push(await startTestParley({ databaseUrl: database.url }, env, { hostedAppTimings: CONFORMANCE_TIMINGS }));
    let stopped: Promise<void> | undefined;
    return {
      nodes,
      redisPrefix: prefix,
      redisKeys: (keyPrefix) => keysWithPrefix(redisUrl!, keyPrefix),
      stop: () =>
        (stopped ??= (async () => {
          for (const node of [...nodes].reverse()) await node.stop();
        })()),
      async cleanup() {
        await database.drop();
        await deleteKeysWithPrefix(redisUrl!, prefix);
      },
    };
  });
});
