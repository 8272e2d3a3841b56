/**
 * Issue 10 "done means", crash: the real `parley start` process on PostgreSQL, as `npm start`
 * runs it (the bundle: its Graph API calls go through undici's chunk, and its campaigns send from
 * the campaign thread's own entry, jobs/campaign-thread.ts), is killed with SIGKILL in the middle
 * of a Cloud API campaign (the fake Graph API lives in this test process,
 * slowed so sends are in flight). After a restart the campaign carries on: every recipient
 * reaches Meta, and only a send in flight at the kill (a claimed recipient whose outcome was not
 * recorded) may be repeated, once. Then the daily cap, counted from the database, still holds
 * after another restart. Needs DATABASE_URL; skipped otherwise.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { startFakeGraphApi, type FakeGraphApi } from "../src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { openDatabase, type DatabaseHandle } from "../src/store/database.ts";
import { campaignsOf, phones, seedContacts } from "./campaigns.ts";
import { createPostgresDatabase } from "./databases.ts";
import { ApiClient, workspacePath } from "./parley.ts";
import { freePort, startParleyProcess, stopProcess } from "./processes.ts";

const databaseUrl = process.env["DATABASE_URL"] || undefined;
const dataDir = mkdtempSync(join(tmpdir(), "parley-campaign-crash-"));
const recipients = 1_500;
let child: ChildProcess | undefined;
let fake: FakeGraphApi | undefined;
let database: { url: string; drop(): Promise<void> } | undefined;
let handle: DatabaseHandle | undefined;

afterAll(async () => {
  child?.kill("SIGKILL");
  await fake?.close();
  await handle?.close();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(databaseUrl === undefined)("a campaign when its node is killed", () => {
  it("sends everyone after a SIGKILL and restart, repeating only sends in flight, and keeps the daily cap across a restart", { timeout: 300_000 }, async () => {
    // `npm test` builds first (pretest); a direct vitest run may follow a source change.
    const built = spawnSync(process.execPath, ["scripts/ensure-built.mjs"], { cwd: fileURLToPath(new URL("../../..", import.meta.url)), stdio: "inherit" });
    if (built.status !== 0) throw new Error("Building Parley failed.");
    fake = await startFakeGraphApi({ templates: null });
    fake.setSendDelay(100);
    database = await createPostgresDatabase();
    const env = {
      DATABASE_URL: database.url,
      PARLEY_SECRET_KEY: "d".repeat(64),
      CAMPAIGN_DISPATCH_LEASE_MS: "2000",
      WHATSAPP_CLOUD_SENDS_PER_SECOND: "1000",
    };
    const port = await freePort();
    child = await startParleyProcess(dataDir, port, { env, built: true });
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    const { token, workspaceId } = await api.signup("campaign-crash");
    const inbox = await api.post(
      `${workspacePath(workspaceId)}/inboxes`,
      {
        name: "WhatsApp",
        provider: "whatsapp_cloud",
        config: {
          phone_number_id: fake.phoneNumberId,
          waba_id: fake.wabaId,
          access_token: fake.accessToken,
          app_secret: "s",
          verify_token: "v",
          graph_base_url: fake.url,
          messaging_limit: "unlimited",
        },
      },
      token,
    );
    expect(inbox.status).toBe(201);
    handle = await openDatabase({ databaseUrl: database.url, dataDir });
    await seedContacts(handle.db, workspaceId, phones(recipients, 0, "+62822"), "promo");
    const campaigns = campaignsOf(api, workspaceId, token);
    const template = { name: "promo", language: "id", variables: ["{{first_name|Kak}}"] };
    const id = await campaigns.createStarted({
      name: "Crash",
      inbox_id: inbox.body.id,
      message: { template },
      audience: { labels: ["promo"] },
      pacing: { per_second: 100, daily_cap: 100_000 },
    });
    await campaigns.until(id, (c) => c.counts.sent >= 300, 60_000, "300 sends");
    await stopProcess(child, "SIGKILL");
    child = undefined;
    const inFlight = await handle.db.execute(
      sql`select count(*)::int as count from campaign_recipients where campaign_id = ${id} and status = 'pending' and claimed_at is not null`,
    );
    const [claimed] = (inFlight as unknown as { rows: Array<{ count: number }> }).rows;
    const inFlightAtKill = claimed!.count;
    const requestsAtKill = fake.requests.length;

    child = await startParleyProcess(dataDir, port, { env, built: true });
    const done = await campaigns.until(id, (c) => c.status === "completed", 120_000, "completion after the restart");
    const times = new Map<string, number>();
    for (const request of fake.requests) {
      const to = (request.json as { to?: string } | null)?.to;
      if (request.path.endsWith("/messages") && to) times.set(to, (times.get(to) ?? 0) + 1);
    }
    const repeated = [...times.values()].filter((count) => count > 1).length;
    console.log(`campaign crash: ${requestsAtKill} sends asked of Meta before the kill, ${inFlightAtKill} claimed in flight; ${repeated} sent twice`);
    expect(times.size).toBe(recipients);
    expect(Math.max(...times.values())).toBeLessThanOrEqual(2);
    expect(repeated).toBeLessThanOrEqual(inFlightAtKill);
    expect(done.counts.sent + done.counts.failed).toBe(recipients);
    expect(done.counts.pending).toBe(0);

    // The daily cap counts the inbox's reached contacts from the database: 5 more, then it waits, restart or not.
    const extra = phones(10, 0, "+62823");
    await seedContacts(handle.db, workspaceId, extra, "late");
    fake.setSendDelay(0);
    const capped = await campaigns.createStarted({
      name: "Capped",
      inbox_id: inbox.body.id,
      message: { template },
      audience: { labels: ["late"] },
      pacing: { daily_cap: recipients + 5 },
    });
    const waiting = await campaigns.until(capped, (c) => c.waiting_reason === "daily_cap", 30_000, "the daily cap");
    expect(waiting).toMatchObject({ status: "running", counts: { sent: 5, pending: 5 } });
    expect(new Date(waiting.waiting_until).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    expect(await stopProcess(child)).toBe(0);
    child = await startParleyProcess(dataDir, port, { env, built: true });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const after = (await campaigns.get(capped)).body;
    expect(after).toMatchObject({ status: "running", waiting_reason: "daily_cap", counts: { sent: 5, pending: 5 } });
    expect(extra.filter((phone) => fake!.sent().some((sent) => sent.body.to === phone.slice(1)))).toHaveLength(5);
    expect(await stopProcess(child)).toBe(0);
    child = undefined;
  });
});
