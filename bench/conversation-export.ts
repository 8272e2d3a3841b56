/**
 * The dataset export (issue 9, part 6) over `conversations` seeded conversations of
 * `messagesPerConversation` messages each (bulk SQL over generate_series; one inbound message in
 * ten carries a phone number, so redaction does real work): conversations/s through the same
 * stream the route sends (Readable.from over the export's pages, into a consumer that takes
 * 64 KB at a time), the process's heap and RSS before, at the peak and after, and the live heap
 * (after a full collection) at each quarter of the export.
 * Goal: ≥ 2,000 conversations/s, and memory flat (growth independent of the export's size).
 */
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { sql } from "drizzle-orm";
import { startConversationExport } from "../packages/server/src/domain/exports/exports.usecases.ts";
import type { ExportFormat } from "../packages/server/src/domain/exports/dataset.ts";
import { newId } from "../packages/server/src/domain/ids.ts";
import type { Membership } from "../packages/server/src/domain/tenancy/tenancy.ts";
import { openDatabase } from "../packages/server/src/store/database.ts";
import { createStore } from "../packages/server/src/store/store.ts";

export interface ExportBenchResult {
  engine: "pglite" | "postgres";
  format: ExportFormat;
  conversations: number;
  lines: number;
  megabytes: number;
  seed_seconds: number;
  export_seconds: number;
  conversations_per_second: number;
  goal_conversations_per_second: number;
  /** MB: heapUsed and rss before the export, at the peak during it (sampled every 20 ms), after it. */
  heap_mb: { before: number; peak: number; after: number };
  rss_mb: { before: number; peak: number; after: number };
  /** MB: live heap after a full collection at each quarter of the export: flat when the export holds no more than a page. */
  live_heap_by_quarter_mb: number[];
}

// A full collection on demand, so live memory is measured rather than the collector's slack.
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (value: number) => Math.round(value * 100) / 100;

/** Seeds one workspace with `conversations` conversations in four statements. */
export async function seed(db: Parameters<typeof createStore>[0], conversations: number, messagesPerConversation: number) {
  const workspaceId = newId();
  const inboxId = newId();
  await db.execute(sql`insert into workspaces (id, name, slug) values (${workspaceId}, 'Toko Bench', ${`bench-${workspaceId}`})`);
  await db.execute(sql`insert into inboxes (id, workspace_id, provider, name) values (${inboxId}, ${workspaceId}, 'web_widget', 'Website')`);
  await db.execute(sql`
    insert into contacts (id, workspace_id, name, visitor_id)
    select gen_random_uuid(), ${workspaceId}, 'Pelanggan ' || g, 'visitor-' || g from generate_series(1, ${conversations}) g`);
  await db.execute(sql`
    insert into conversations (id, workspace_id, inbox_id, contact_id, status, created_at, last_message_at)
    select gen_random_uuid(), ${workspaceId}, ${inboxId}, c.id, 'resolved', now() - interval '30 days', now() - interval '29 days'
    from contacts c where c.workspace_id = ${workspaceId}`);
  await db.execute(sql`
    insert into messages (id, workspace_id, inbox_id, conversation_id, direction, body, sender_type, status, sentiment, intent, created_at, updated_at)
    select gen_random_uuid(), ${workspaceId}, ${inboxId}, c.id,
      case when k % 2 = 1 then 'inbound' else 'outbound' end,
      case when k % 2 = 0 then 'Baik kak, stok masih ada. Silakan order lewat website ya, terima kasih!'
           when k = 1 and random() < 0.1 then 'halo kak, saya mau tanya stok sepatu ukuran 42, wa saya 0812-' || (1000 + (random() * 8999)::int) || '-' || (1000 + (random() * 8999)::int)
           else 'halo kak, brp harga sepatu ini? masih ada gak ukuran 42?' end,
      case when k % 2 = 1 then 'contact' else 'agent' end,
      'delivered', case when k % 2 = 1 then 0.2 else null end, case when k % 2 = 1 then 'purchase' else null end,
      c.created_at + k * interval '40 seconds', c.created_at + k * interval '40 seconds'
    from conversations c cross join generate_series(1, ${messagesPerConversation}) k
    where c.workspace_id = ${workspaceId}`);
  return { workspaceId };
}

/** Runs the export benchmark on one engine (PostgreSQL when `databaseUrl` is given). */
export async function measureConversationExport(options: {
  databaseUrl?: string | undefined;
  conversations: number;
  messagesPerConversation: number;
  format: ExportFormat;
}): Promise<ExportBenchResult> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: "memory://" });
  try {
    await database.migrate();
    const store = createStore(database.db);
    const seedStarted = performance.now();
    const { workspaceId } = await seed(database.db, options.conversations, options.messagesPerConversation);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const actor = {
      workspace: { id: workspaceId, name: "Toko Bench", slug: "bench", status: "active", createdAt: new Date() },
      user: { id: newId(), name: "Bench", email: "bench@example.com", locale: "en", createdAt: new Date() },
      role: "owner",
    } satisfies Membership;

    collectGarbage();
    const before = process.memoryUsage();
    const peak = { heap: before.heapUsed, rss: before.rss };
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peak.heap = Math.max(peak.heap, now.heapUsed);
      peak.rss = Math.max(peak.rss, now.rss);
    }, 20);
    let bytes = 0;
    let lines = 0;
    const liveByQuarter: number[] = [];
    const quarter = Math.max(1, Math.floor(options.conversations / 4));
    const started = performance.now();
    const chunks = await startConversationExport({ store }, actor, { format: options.format, redact: true });
    await pipeline(
      Readable.from(chunks, { objectMode: false, highWaterMark: 64 * 1024 }),
      new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines++;
          if (lines >= quarter * (liveByQuarter.length + 1)) {
            collectGarbage();
            liveByQuarter.push(mb(process.memoryUsage().heapUsed));
          }
          // A consumer on the other side of a socket: the next chunk waits for the event loop.
          setImmediate(done);
        },
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const after = process.memoryUsage();
    peak.heap = Math.max(peak.heap, after.heapUsed);
    peak.rss = Math.max(peak.rss, after.rss);
    return {
      engine: database.engine,
      format: options.format,
      conversations: options.conversations,
      lines,
      megabytes: mb(bytes),
      seed_seconds: round(seedSeconds),
      export_seconds: round(seconds),
      conversations_per_second: Math.round(lines / seconds),
      goal_conversations_per_second: 2000,
      heap_mb: { before: mb(before.heapUsed), peak: mb(peak.heap), after: mb(after.heapUsed) },
      rss_mb: { before: mb(before.rss), peak: mb(peak.rss), after: mb(after.rss) },
      live_heap_by_quarter_mb: liveByQuarter,
    };
  } finally {
    await database.close();
  }
}
