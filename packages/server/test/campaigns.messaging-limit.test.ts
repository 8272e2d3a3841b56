/**
 * Issue 10, part 3: a Cloud API number's messaging limit (unique contacts per rolling 24 h) is
 * the inbox's, shared by all its campaigns; an admin sets it on the inbox. And a campaign that
 * Meta asks to slow down (130429) says so while it waits, live and on the API.
 */
import { afterAll, describe, expect, it } from "vitest";
import { type CloudWorkspace, useCloudApi } from "./cloud-api.ts";
import { campaignsOf, phones, seedContacts } from "./campaigns.ts";
import { workspacePath } from "./parley.ts";
import { nextEvent, type PusherClient, pusherClient, subscribed } from "./pusher-clients.ts";

const { parley, fake, cloudWorkspace } = useCloudApi({ WHATSAPP_CLOUD_SENDS_PER_SECOND: "1000" });
const template = { name: "order_ready", language: "en_US", variables: ["{{first_name|Kak}}", "A-1"] };
const clients: PusherClient[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

/** The inbox's PATCH route and its answer. */
const patchInbox = (workspace: CloudWorkspace, body: unknown, inboxId: string = workspace.inbox["id"]) =>
  parley().api.patch(`${workspacePath(workspace.workspaceId)}/inboxes/${inboxId}`, body, workspace.token);

/** WhatsApp ids the fake was asked to send a template to since `from` (an index into its sends). */
const sentTo = (from: number) =>
  fake()
    .sent()
    .slice(from)
    .map((sent) => sent.body.to as string);

describe("a Cloud API number's messaging limit", () => {
  it("is shared by the inbox's campaigns: 250 contacts in all, the rest wait until an admin raises it", { timeout: 120_000 }, async () => {
    const workspace = await cloudWorkspace("tier");
    expect(workspace.inbox["config"]).toMatchObject({ messaging_limit: 250 });
    const db = parley().database.db;
    // Each audience alone is over the limit, so neither campaign can complete within it.
    await seedContacts(db, workspace.workspaceId, phones(300, 0, "+62831"), "first");
    await seedContacts(db, workspace.workspaceId, phones(300, 0, "+62832"), "second");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const before = fake().sent().length;
    const body = (name: string, label: string) => ({
      name,
      inbox_id: workspace.inbox["id"],
      message: { template },
      audience: { labels: [label] },
      // Their own caps are higher than the number's limit: the limit wins.
      pacing: { per_second: 200, daily_cap: 5_000 },
    });
    const [first, second] = await Promise.all([campaigns.createStarted(body("First", "first")), campaigns.createStarted(body("Second", "second"))]);
    const waitingForCap = (campaign: any) => campaign.waiting_reason === "daily_cap";
    const [firstWaiting, secondWaiting] = await Promise.all([
      campaigns.until(first, waitingForCap, 60_000, "the first campaign to wait for the daily cap"),
      campaigns.until(second, waitingForCap, 60_000, "the second campaign to wait for the daily cap"),
    ]);
    expect(firstWaiting.status).toBe("running");
    expect(firstWaiting.counts.sent + secondWaiting.counts.sent).toBe(250);
    expect(firstWaiting.counts.pending + secondWaiting.counts.pending).toBe(350);
    expect(new Date(firstWaiting.waiting_until).getTime()).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const reached = sentTo(before);
    expect(reached).toHaveLength(250);
    expect(new Set(reached).size).toBe(250);

    // The audience preview counts by the same rule: nobody more can be reached today.
    const preview = await parley().api.post(
      `${workspacePath(workspace.workspaceId)}/campaigns/audience-preview`,
      { inbox_id: workspace.inbox["id"], audience: { labels: ["first"] } },
      workspace.token,
    );
    expect(preview.body).toMatchObject({ total: 300, eligible: 0, skipped: { daily_cap: 300 } });

    // The number moved up to 2,000 a day: both carry on at once, and nobody gets a second message.
    const raised = await patchInbox(workspace, { messaging_limit: 2000 });
    expect(raised.status).toBe(200);
    expect(raised.body.config).toMatchObject({ messaging_limit: 2000 });
    const done = (campaign: any) => campaign.status === "completed";
    const [firstDone, secondDone] = await Promise.all([campaigns.until(first, done, 60_000), campaigns.until(second, done, 60_000)]);
    expect(firstDone).toMatchObject({ waiting_reason: null, counts: { sent: 300, pending: 0 } });
    expect(secondDone).toMatchObject({ waiting_reason: null, counts: { sent: 300, pending: 0 } });
    const all = sentTo(before);
    expect(all).toHaveLength(600);
    expect(new Set(all).size).toBe(600);
  });

  it("refuses a limit Meta does not have, and changes nothing", async () => {
    const workspace = await cloudWorkspace("bad-limit");
    for (const messaging_limit of [300, 0, -250, "lots", "250", 2000.5, null]) {
      const answer = await patchInbox(workspace, { messaging_limit });
      expect(answer.status, JSON.stringify(messaging_limit)).toBe(messaging_limit === null ? 400 : 422);
      if (messaging_limit !== null) expect(answer.body.error).toMatchObject({ code: "inboxes.invalid_messaging_limit", field: "messaging_limit" });
    }
    // A refused limit beside a valid name: neither is written.
    expect((await patchInbox(workspace, { name: "Renamed", messaging_limit: 5 })).status).toBe(422);
    const inbox = await parley().api.get(`${workspacePath(workspace.workspaceId)}/inboxes/${workspace.inbox["id"]}`, workspace.token);
    expect(inbox.body).toMatchObject({ name: "WhatsApp", config: { messaging_limit: 250 } });
    expect((await patchInbox(workspace, { messaging_limit: "unlimited" })).body.config.messaging_limit).toBe("unlimited");

    // A new number entered with a limit Meta does not have is not created.
    const created = await parley().api.post(
      `${workspacePath(workspace.workspaceId)}/inboxes`,
      {
        name: "Second number",
        provider: "whatsapp_cloud",
        config: { phone_number_id: "999", access_token: "t", app_secret: "s", verify_token: "v", messaging_limit: 1000 },
      },
      workspace.token,
    );
    expect(created.status).toBe(422);
    const inboxes = await parley().api.get(`${workspacePath(workspace.workspaceId)}/inboxes`, workspace.token);
    expect(inboxes.body.data).toHaveLength(1);

    // Only a Cloud API number has a messaging limit.
    const widget = await parley().api.createWidgetInbox(workspace.workspaceId, workspace.token);
    const onWidget = await patchInbox(workspace, { messaging_limit: 2000 }, widget.id);
    expect(onWidget.status).toBe(400);
    expect(onWidget.body.error.code).toBe("inboxes.wrong_provider");
  });

  it("answers 404 for another workspace's inbox, and leaves it as it was", async () => {
    const mine = await cloudWorkspace("limit-mine");
    const theirs = await cloudWorkspace("limit-theirs");
    const answer = await patchInbox(mine, { messaging_limit: 100000 }, theirs.inbox["id"]);
    expect(answer.status).toBe(404);
    const inbox = await parley().api.get(`${workspacePath(theirs.workspaceId)}/inboxes/${theirs.inbox["id"]}`, theirs.token);
    expect(inbox.body.config.messaging_limit).toBe(250);
  });
});

describe("a campaign Meta asks to slow down", () => {
  it("says it waits for Meta's throughput limit until the back-off ends, live and on the API", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("throughput");
    await seedContacts(parley().database.db, workspace.workspaceId, phones(20, 0, "+62833"), "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const realtime = (await parley().api.get("/api/v1/realtime")).body;
    const agent = pusherClient(parley().url, realtime.app_key, workspace.token);
    clients.push(agent);
    const channel = await subscribed(agent, `private-workspace.${workspace.workspaceId}`);
    const throttled = nextEvent(channel, "campaign.progress", (data: any) => data.waiting_reason === "throughput", 30_000);
    fake().failNextSends(1, 130429, { retryAfterSeconds: 3 });
    const startedAt = Date.now();
    const id = await campaigns.createStarted({ name: "Throttled", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } });
    const event = await throttled;
    expect(event).toMatchObject({ campaign_id: id, status: "running" });
    const until = new Date(event.waiting_until).getTime();
    expect(until).toBeGreaterThanOrEqual(startedAt + 3_000);
    expect(until).toBeLessThan(Date.now() + 4_000);
    const onApi = await campaigns.until(id, (c) => c.waiting_reason === "throughput" || c.status === "completed", 10_000, "the API to say why");
    expect(onApi).toMatchObject({ waiting_reason: "throughput", waiting_until: event.waiting_until });
    const done = await campaigns.until(id, (c) => c.status === "completed", 30_000);
    expect(done).toMatchObject({ waiting_reason: null, waiting_until: null, counts: { sent: 20, failed: 0 } });
  });

  it("holds back only the recipient Meta's pair limit (131056) names, not the campaign", { timeout: 60_000 }, async () => {
    const workspace = await cloudWorkspace("pair-limit");
    const numbers = phones(10, 0, "+62834");
    await seedContacts(parley().database.db, workspace.workspaceId, numbers, "promo");
    const campaigns = campaignsOf(parley().api, workspace.workspaceId, workspace.token);
    const paired = numbers[0]!.slice(1);
    fake().refuseRecipients([paired], 131056);
    const before = fake().sent().length;
    const id = await campaigns.createStarted({ name: "Pair", inbox_id: workspace.inbox["id"], message: { template }, audience: { labels: ["promo"] } });
    // Everyone else is sent while the paired recipient waits its 6 s; the campaign itself never waits.
    const others = await campaigns.until(id, (c) => c.counts.sent === 9, 20_000, "the other nine sends");
    expect(others).toMatchObject({ status: "running", waiting_reason: null, counts: { pending: 1 } });
    expect(sentTo(before)).not.toContain(paired);
    fake().refuseRecipients([]);
    const done = await campaigns.until(id, (c) => c.status === "completed", 30_000);
    expect(done.counts).toMatchObject({ sent: 10, failed: 0 });
    expect(sentTo(before).filter((to) => to === paired)).toHaveLength(1);
  });
});
