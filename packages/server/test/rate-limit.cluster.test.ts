/** Several nodes share one per-client budget through Redis (skipped without REDIS_URL). */
import { afterAll, expect, it } from "vitest";
import { deleteKeysWithPrefix, testRedisUrl, uniqueTestPrefix } from "../src/realtime/fanout/redis.testing.ts";
import { startTestParley, type TestParley } from "./parley.ts";

const redisUrl = testRedisUrl();
const prefix = uniqueTestPrefix();
const nodes: TestParley[] = [];

afterAll(async () => {
  await Promise.all(nodes.map((node) => node.stop()));
  if (redisUrl) await deleteKeysWithPrefix(redisUrl, prefix);
});

it.skipIf(!redisUrl)("counts one client's requests across nodes against one budget", async () => {
  const overrides = { REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: "6" };
  nodes.push(await startTestParley("pglite", overrides), await startTestParley("pglite", overrides));
  const [a, b] = nodes as [TestParley, TestParley];
  const statuses: number[] = [];
  for (let round = 0; round < 4; round++) {
    statuses.push((await a.api.get("/api/v1/realtime")).status);
    statuses.push((await b.api.get("/api/v1/realtime")).status);
  }
  // Six allowed in all, whichever node answered; per-node counting would have allowed all eight.
  expect(statuses.filter((status) => status === 200)).toHaveLength(6);
  expect(statuses.slice(6)).toEqual([429, 429]);
});
