/**
 * A store on a scratch database of one engine for the calling test file (or `describe`): opened
 * before its tests, dropped after them.
 */
import { afterAll, beforeAll } from "vitest";
import type { Store } from "../src/domain/ports.ts";
import { createStore, type JobSchedulerFactory } from "../src/store/store.ts";
import { type Engine, openTestDatabase, type TestDatabase } from "./databases.ts";

/**
 * Every stored customer message schedules its enrichment, which these stores' tests do not look
 * at: that job is dropped; any other still throws, as in a store without a job queue.
 */
const enrichmentDropped: JobSchedulerFactory = () => ({
  schedule: async (name) => {
    if (name !== "messages.enrich") throw new Error(`No job queue is configured, so the job ${name} cannot be scheduled.`);
  },
});

/** Returns a getter for the store (available once `beforeAll` has run). */
export function useTestStore(engine: Engine): () => Store {
  let database: TestDatabase | undefined;
  let store: Store | undefined;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    store = createStore(database.handle.db, { jobs: enrichmentDropped });
  });
  afterAll(async () => {
    await database?.cleanup();
  });
  return () => {
    if (!store) throw new Error("The test store is opened in beforeAll.");
    return store;
  };
}
