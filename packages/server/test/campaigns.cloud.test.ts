/**
 * Issue 10 "done means", Cloud API side: 10,000 recipients against the fake Graph API, each sent
 * exactly once, never more in one second than the pacing, paused within a second and resumed;
 * a cancel leaves the rest skipped.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../src/store/repositories/raw-rows.ts";
import { useCloudApi } from "./cloud-api.ts";
import { busiestSecond, campaignsOf, phones, seedContacts } from "./campaigns.ts";

const { parley, fake, cloudWorkspace } = useCloudApi({ WHATSAPP_CLOUD_SENDS_PER_SECOND: "1000" });
const template = { name: "order_ready", language: "en_US", variables: ["{{first_name|Kak}}", "A-{{phone}}"] };
const waIdsOf = (list: Array<{ body: { to: string } }>) => list.map((sent) => sent.body.to);

describe("a Cloud API campaign", () => {
  it("sends 10,000 recipients exactly once at the pacing, pausing within a second and resuming", { timeout: 300_000 }, async () => {
    const workspace = await cloudWorkspace("bulk", { messagingLimit: "unlimited" });
    const numbers = phones(10_000);
    await seedContacts(parley().database.db, workspace.workspaceId, numbers, "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const before = fake().sent().length;
    const id = await campaigns.createStarted({
      name: "Ten thousand",
      inbox_id: workspace.inbox["id"],
      message: { template },
      audience: { labels: ["promo"] },
      pacing: { per_second: 400, daily_cap: 20_000 },
    });
    await campaigns.until(id, (c) => c.counts.sent >= 2_000, 60_000, "2,000 sends");
    const paused = await campaigns.command(id, "pause");
    expect(paused.body.status).toBe("paused");
    const pausedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const late = fake()
      .sent()
      .slice(before)
      .filter((sent) => sent.arrivedAtMs > pausedAt + 1_000);
    expect(late).toEqual([]);
    const whilePaused = fake().sent().length;
    expect((await campaigns.get(id)).body.counts.pending).toBeGreaterThan(0);

    expect((await campaigns.command(id, "resume")).body.status).toBe("running");
    const done = await campaigns.until(id, (c) => c.status === "completed", 240_000, "completion");
    expect(fake().sent().length).toBeGreaterThan(whilePaused);
    expect(done.counts).toMatchObject({ total: 10_000, sent: 10_000, pending: 0, failed: 0, skipped: 0 });

    const sent = fake().sent().slice(before);
    const recipients = waIdsOf(sent);
    expect(recipients.length).toBe(10_000);
    expect(new Set(recipients).size).toBe(10_000);
    expect(busiestSecond(sent.map((one) => one.arrivedAtMs))).toBeLessThanOrEqual(400);
    const first = sent.find((one) => one.body.to === "628120000000")!;
    expect(first.body).toMatchObject({ type: "template", template: { name: "order_ready" } });
    expect(JSON.stringify(first.body)).toContain("Customer");
  });

  it("leaves the recipients not yet sent skipped when cancelled", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("cancel", { messagingLimit: "unlimited" });
    await seedContacts(parley().database.db, workspace.workspaceId, phones(2_000, 0, "+62813"), "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const before = fake().sent().length;
    const id = await campaigns.createStarted({
      name: "Cancelled",
      inbox_id: workspace.inbox["id"],
      message: { template },
      audience: { labels: ["promo"] },
      pacing: { per_second: 200, daily_cap: 20_000 },
    });
    await campaigns.until(id, (c) => c.counts.sent >= 200, 30_000, "200 sends");
    expect((await campaigns.command(id, "cancel")).body.status).toBe("cancelled");
    const settled = await campaigns.until(id, (c) => c.counts.pending === 0 && c.counts.sent + c.counts.skipped === 2_000, 10_000, "the rest skipped");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake().sent().length - before).toBe(settled.counts.sent);
    const skipped = await campaigns.recipients(id, "?status=skipped&limit=5");
    expect(skipped.body.data[0].reason).toBe("cancelled");
    expect((await campaigns.command(id, "resume")).status).toBe(409);
  });

  it("claims again and sends once the recipients whose chat messages could not be stored after their claim", { timeout: 90_000 }, async () => {
    const workspace = await cloudWorkspace("store-fails", { messagingLimit: "unlimited" });
    const numbers = phones(30, 0, "+62814");
    await seedContacts(parley().database.db, workspace.workspaceId, numbers, "promo");
    const db = parley().database.db;
    // The first campaign message stored fails its transaction: the claim before it stays committed.
    // A sequence, because it counts even in the transaction that fails.
    await db.execute(sql.raw("create sequence test_store_failures"));
    await db.execute(
      sql.raw(`create function test_fail_first_campaign_message() returns trigger language plpgsql as $$
        begin
          if new.campaign_id is not null and nextval('test_store_failures') = 1 then raise exception 'injected: storing fails once'; end if;
          return new;
        end $$`),
    );
    await db.execute(
      sql.raw("create trigger test_fail_first_campaign_message before insert on messages for each row execute function test_fail_first_campaign_message()"),
    );
    try {
      const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
      const before = fake().sent().length;
      const id = await campaigns.createStarted({
        name: "Stored on the second try",
        inbox_id: workspace.inbox["id"],
        message: { template },
        audience: { labels: ["promo"] },
        pacing: { per_second: 100, daily_cap: 1_000 },
      });
      const done = await campaigns.until(id, (c) => c.status === "completed", 60_000, "completion after the retry");
      expect(done.counts).toMatchObject({ total: 30, sent: 30, pending: 0, failed: 0, skipped: 0 });
      const recipients = waIdsOf(fake().sent().slice(before));
      expect(recipients.sort()).toEqual(numbers.map((number) => number.slice(1)).sort());
      const failures = await db.execute(sql.raw("select last_value from test_store_failures"));
      expect(Number(rowsOf<{ last_value: string | number }>(failures)[0]?.last_value)).toBeGreaterThan(1);
    } finally {
      await db.execute(sql.raw("drop trigger test_fail_first_campaign_message on messages"));
      await db.execute(sql.raw("drop function test_fail_first_campaign_message()"));
      await db.execute(sql.raw("drop sequence test_store_failures"));
    }
  });
});
