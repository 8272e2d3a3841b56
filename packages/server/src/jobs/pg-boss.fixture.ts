/**
 * The job queue tests' set-up for one engine: a database shared by the file's tests, a fresh
 * pg-boss schema for every queue started (so tests never see each other's jobs), and every
 * queue stopped after each test. Registers the vitest hooks; call it inside `describe`.
 */
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Store } from "../domain/ports.ts";
import { createStore } from "../store/store.ts";
import type { DatabaseHandle } from "../store/database.ts";
import { openTestDatabase, type TestDatabase } from "../../test/databases.ts";
import { startJobQueue, type JobQueue, type JobQueueOptions } from "./pg-boss.ts";
import { recordingLogger } from "./pg-boss.testing.ts";

export function useJobQueues(engine: "pglite" | "postgres") {
  let database: TestDatabase | undefined;
  let schemaCount = 0;
  const running: JobQueue[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((queue) => queue.stop({ timeoutMs: 1_000 })));
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  const fixture = {
    /** The file's database (set once `beforeAll` ran). */
    get database(): TestDatabase {
      if (!database) throw new Error("The test database is opened in beforeAll.");
      return database;
    },
    /** Queues started and not yet stopped; emptied (and stopped) after each test. */
    running,
    /** A pg-boss schema name no queue of this file used yet. */
    nextSchema: () => `jobs_${engine}_${++schemaCount}`,
    /** A started queue on its own schema (unless given one), and a store whose scheduler is that queue's. */
    async start(options: Partial<JobQueueOptions> & { handle?: DatabaseHandle } = {}) {
      const { handle = fixture.database.handle, ...rest } = options;
      const { logger, records } = recordingLogger();
      const schema = rest.schema ?? fixture.nextSchema();
      const queue = await startJobQueue(handle, { logger, pollingIntervalSeconds: 0.2, ...rest, schema });
      running.push(queue);
      const store: Store = createStore(handle.db, { jobs: queue.schedulerFactory });
      return { queue, store, records, schema };
    },
    /** Jobs in `schema`'s job table matching the SQL condition `where`. */
    async jobCount(schema: string, where = "true"): Promise<number> {
      const result = (await fixture.database.handle.db.execute(sql.raw(`select count(*)::int as count from ${schema}.job where ${where}`))) as unknown as {
        rows: Array<{ count: number }>;
      };
      return result.rows[0]!.count;
    },
  };
  return fixture;
}
