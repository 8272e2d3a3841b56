/**
 * The fake Graph API on a thread of its own, as Meta is on servers of its own: its HTTP parsing
 * and answers do not run on the event loop of the Parley it stands in for. Posts each request it
 * records to the parent, stamped on arrival with the process-wide monotonic clock
 * (`process.hrtime`, the same on every thread), and closes when told.
 */
import { parentPort } from "node:worker_threads";
import { startFakeGraphApi } from "../packages/server/src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import type { FakeGraphRequest, FakeGraphWorkerMessage } from "./fake-graph-api-thread.ts";

const fake = await startFakeGraphApi();
const append = fake.requests.push;
fake.requests.push = (...records) => {
  const atMs = Number(process.hrtime.bigint()) / 1e6;
  for (const record of records) {
    const request: FakeGraphRequest = { method: record.method, path: record.path, json: record.json, atMs };
    parentPort?.postMessage({ type: "request", request } satisfies FakeGraphWorkerMessage);
  }
  // The log itself is not needed here: it would only grow.
  return append.call(fake.requests);
};
parentPort?.on("message", async (message: { type: "close" }) => {
  if (message.type !== "close") return;
  await fake.close();
  parentPort?.postMessage({ type: "closed" } satisfies FakeGraphWorkerMessage);
  parentPort?.close();
});
parentPort?.postMessage({
  type: "ready",
  fake: { url: fake.url, origin: fake.origin, accessToken: fake.accessToken, phoneNumberId: fake.phoneNumberId, wabaId: fake.wabaId },
} satisfies FakeGraphWorkerMessage);
