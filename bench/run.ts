/**
 * `npm run bench`: every benchmark, each printing one JSON line. PostgreSQL variants run when
 * DATABASE_URL is set (a scratch database is created and dropped).
 */
import { createPostgresDatabase } from "../packages/server/test/databases.ts";
import { measureAgentToVisitorLatency } from "./agent-to-visitor-latency.ts";

// 50/s stays under the embedded database's capacity on a 2-core machine (the run prints that
// capacity too), so the figures are latencies rather than queueing.
const ratePerSecond = Number(process.env["BENCH_RATE"] ?? 50);
const messages = Number(process.env["BENCH_MESSAGES"] ?? 1500);

async function main() {
  // Warm-up on PGlite so JIT and first-use costs do not land in the first measured run.
  await measureAgentToVisitorLatency({ ratePerSecond, messages: Math.min(200, messages) });
  console.log(JSON.stringify({ benchmark: "agent_post_to_visitor_socket", ...(await measureAgentToVisitorLatency({ ratePerSecond, messages })) }));
  if (process.env["DATABASE_URL"]) {
    const database = await createPostgresDatabase();
    try {
      console.log(JSON.stringify({ benchmark: "agent_post_to_visitor_socket", ...(await measureAgentToVisitorLatency({ databaseUrl: database.url, ratePerSecond, messages })) }));
    } finally {
      await database.drop();
    }
  } else {
    console.error("DATABASE_URL is not set: skipping the PostgreSQL run.");
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
