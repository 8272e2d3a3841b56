/**
 * Issue 10, Meta's side of a Cloud API campaign: 131050 opts the contact out and later campaigns
 * skip them; 131049 fails and is not retried; 130429 backs off and the campaign still completes;
 * status webhooks move recipients to delivered and read; a customer's reply marks `replied`.
 */
import { describe, expect, it } from "vitest";
import { inbound, messageDelivery, statusesDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { useCloudApi } from "./cloud-api.ts";
import { campaignsOf, phones, seedContacts } from "./campaigns.ts";

const { parley, fake, cloudWorkspace } = useCloudApi();
const template = { name: "order_ready", language: "en_US", variables: ["{{first_name|Kak}}", "A-1"] };
/** Message sends asked of Meta for this WhatsApp id, accepted or refused. */
const sendsTo = (waId: string) =>
  fake().requests.filter((request) => request.path.endsWith("/messages") && (request.json as { to?: string } | null)?.to === waId).length;

describe("a Cloud API campaign meeting Meta's refusals", () => {
  it("opts out a contact on 131050 so later campaigns skip them, and never retries 131049 on its own", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("refusals");
    const numbers = phones(4, 0, "+62816");
    await seedContacts(parley().database.db, workspace.workspaceId, numbers, "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const body = { name: "One", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } };
    fake().refuseRecipients(["628160000000"], 131050);
    const first = await campaigns.createStarted(body);
    const done = await campaigns.until(first, (c) => c.status === "completed", 30_000);
    expect(done.counts).toMatchObject({ sent: 3, failed: 1, opted_out: 1 });
    const [failed] = (await campaigns.recipients(first, "?status=failed")).body.data;
    expect(failed).toMatchObject({ phone: "+628160000000", error_code: "131050" });
    expect(failed.opted_out_at).not.toBeNull();

    fake().refuseRecipients(["628160000001"], 131049);
    const second = await campaigns.createStarted({ ...body, name: "Two" });
    const next = await campaigns.until(second, (c) => c.status === "completed", 30_000);
    expect(next.counts).toMatchObject({ total: 4, sent: 2, failed: 1, skipped: 1 });
    expect((await campaigns.recipients(second, "?status=skipped")).body.data[0]).toMatchObject({ phone: "+628160000000", reason: "opted_out" });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Once per campaign: the refused send of the second is not tried again.
    expect(sendsTo("628160000001")).toBe(2);
    expect(sendsTo("628160000000")).toBe(1);
    // Retry-failed by hand keeps the opted-out contact out.
    fake().refuseRecipients([]);
    expect((await campaigns.command(first, "retry-failed")).status).toBe(200);
    await campaigns.until(first, (c) => c.status === "completed", 30_000);
    expect(sendsTo("628160000000")).toBe(1);
  });

  it("backs off on 130429 and still sends everyone once", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("throttled");
    const numbers = phones(30, 0, "+62817");
    await seedContacts(parley().database.db, workspace.workspaceId, numbers, "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const before = fake().sent().length;
    fake().failNextSends(3, 130429, { retryAfterSeconds: 1 });
    const id = await campaigns.createStarted({ name: "Throttled", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } });
    const done = await campaigns.until(id, (c) => c.status === "completed", 45_000);
    expect(done.counts).toMatchObject({ sent: 30, failed: 0 });
    const to = fake()
      .sent()
      .slice(before)
      .map((sent) => sent.body.to);
    expect(new Set(to).size).toBe(30);
    expect(to.length).toBe(30);
  });

  it("moves recipients to delivered and read from status webhooks, and marks a reply", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("acks");
    await seedContacts(parley().database.db, workspace.workspaceId, phones(2, 0, "+62818"), "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const id = await campaigns.createStarted({ name: "Acks", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } });
    await campaigns.until(id, (c) => c.status === "completed", 30_000);
    const rows = (await campaigns.recipients(id)).body.data as Array<{ phone: string; provider_message_id: string }>;
    const [reader, other] = rows;
    const status = (row: { phone: string; provider_message_id: string }, value: string) => ({
      id: row.provider_message_id,
      status: value,
      recipientId: row.phone.slice(1),
    });
    expect(await workspace.deliver(statusesDelivery([status(reader!, "delivered")]))).toBe(200);
    await campaigns.until(id, (c) => c.counts.delivered === 1, 20_000, "delivered");
    expect(await workspace.deliver(statusesDelivery([status(reader!, "read")]))).toBe(200);
    // A late "delivered" after "read" moves nothing back.
    expect(await workspace.deliver(statusesDelivery([status(reader!, "delivered")]))).toBe(200);
    expect(await workspace.deliver(messageDelivery({ waId: reader!.phone.slice(1), name: "Reader" }, inbound.text("Mau dong")))).toBe(200);
    const after = await campaigns.until(id, (c) => c.counts.read === 1 && c.counts.replied === 1, 20_000, "read and replied");
    expect(after.counts).toMatchObject({ delivered: 0, read: 1, replied: 1, sent: 1 });
    const read = (await campaigns.recipients(id, "?status=read")).body.data[0];
    expect(read.phone).toBe(reader!.phone);
    expect(read.replied_at).not.toBeNull();
    expect(read.delivered_at).not.toBeNull();

    // Meta may report 131050 later, in a status webhook: the recipient fails and the contact opts out.
    expect(await workspace.deliver(statusesDelivery([{ ...status(other!, "failed"), errorCode: 131050 }]))).toBe(200);
    const refused = await campaigns.until(id, (c) => c.counts.opted_out === 1, 20_000, "the opt-out");
    expect(refused.counts).toMatchObject({ failed: 1, read: 1, sent: 0 });
    const again = await campaigns.createStarted({ name: "Again", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } });
    const skipped = await campaigns.until(again, (c) => c.status === "completed", 30_000);
    expect(skipped.counts).toMatchObject({ sent: 1, skipped: 1 });
  });

  it("starts a scheduled campaign when its time comes", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("scheduled");
    await seedContacts(parley().database.db, workspace.workspaceId, phones(2, 0, "+62824"), "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const scheduleAt = new Date(Date.now() + 2_000).toISOString();
    const created = await campaigns.create({
      name: "Later",
      inbox_id: workspace.inbox["id"],
      message: { template },
      audience: { labels: ["promo"] },
      schedule_at: scheduleAt,
    });
    const started = await campaigns.command(created.body.id, "start");
    expect(started.body).toMatchObject({ status: "scheduled", schedule_at: scheduleAt, counts: { total: 0 } });
    const done = await campaigns.until(created.body.id, (c) => c.status === "completed", 45_000, "the scheduled campaign to run");
    expect(done.counts.sent).toBe(2);
    expect(new Date(done.started_at).getTime()).toBeGreaterThanOrEqual(new Date(scheduleAt).getTime());
  });
});
