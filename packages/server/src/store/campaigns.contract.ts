/**
 * The campaigns repository's contract (issue 10): recipients materialised once with skip reasons,
 * claims that are not taken twice, outcomes and acks that only move forward, the lease, the daily
 * count and the counts. Part of the repository contract: repositories.contract.test.ts runs it on
 * PGlite and (with DATABASE_URL) PostgreSQL, on the same store as the other repositories' scenarios.
 */
import { beforeAll, expect, it } from "vitest";
import { newId } from "../domain/ids.ts";
import type { Store } from "../domain/ports.ts";
import type { DailyReachRepository } from "../domain/campaigns/campaigns.port.ts";
import { takeDailyRoom } from "../domain/campaigns/daily-room.ts";

async function seed(store: Store, label: string, provider: "whatsapp_cloud" | "whatsapp_web" = "whatsapp_cloud") {
  const workspace = await store.workspaces.create({ id: newId(), name: label, slug: `${label}-${newId().slice(-8)}` });
  const inbox = await store.inboxes.create({ id: newId(), workspaceId: workspace.id, provider, name: label, status: "ready", widgetKey: null, widget: null });
  const phones = ["+6281200000001", "+6281200000002", "+6281200000003", "+6281200000004"];
  const contacts = await store.contacts.upsertManyByPhone(
    workspace.id,
    phones.map((phone, index) => ({ id: newId(), phone, candidates: [phone], name: `Customer ${index}` })),
  );
  const [a, b, c, d] = phones.map((phone) => contacts.get(phone)!);
  await store.knowledge.insertLabel(workspace.id, newId(), { name: "vip" });
  for (const contact of [a!, b!, c!]) await store.knowledge.setContactLabels(workspace.id, contact.id, ["vip"]);
  const campaign = await store.campaigns.create({
    id: newId(),
    workspaceId: workspace.id,
    inboxId: inbox.id,
    name: "Promo",
    message: { template: { name: "promo", language: "en_US", variables: ["{{name}}"] } },
    audience: { labels: ["vip"], contact_ids: [d!.id] },
    pacing: {},
    scheduleAt: null,
    createdBy: null,
  });
  return { workspace, inbox, contacts: [a!, b!, c!, d!], campaign };
}

/**
 * Registers the campaigns repository's scenarios in the caller's `describe`, against the store
 * `testStore` returns (opened by the caller's `beforeAll`). Each scenario seeds its own workspace,
 * so the store may be shared with the other repositories' scenarios.
 */
export function runCampaignsRepositoryContract(testStore: () => Store): void {
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  it("materialises each contact of the audience once, the ineligible as skipped with their reason", async () => {
    const { workspace, inbox, campaign } = await seed(store, "materialise");
    const query = { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false };
    const preview = await store.campaigns.audienceByReason(query);
    expect(preview.get(null)).toBe(4);
    const running = await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    expect(running?.startedAt).not.toBeNull();
    expect(await store.campaigns.materialise(campaign, query, new Date())).toBe(4);
    expect(await store.campaigns.materialise(campaign, query, new Date())).toBe(0);
    const counts = (await store.campaigns.counts([campaign.id])).get(campaign.id)!;
    expect(counts).toMatchObject({ total: 4, pending: 4, skipped: 0 });
  });

  it("skips contacts who never wrote to a WhatsApp Web number unless asked to include them", async () => {
    const { workspace, inbox, campaign } = await seed(store, "neverwrote", "whatsapp_web");
    const query = { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: true };
    expect(Object.fromEntries(await store.campaigns.audienceByReason(query))).toEqual({ never_wrote: 4 });
    expect(Object.fromEntries(await store.campaigns.audienceByReason({ ...query, requireWritten: false }))).toEqual({ null: 4 });
  });

  it("lets one dispatcher hold the lease, and claims each recipient once", async () => {
    const { workspace, inbox, campaign } = await seed(store, "claims");
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    await store.campaigns.materialise(
      campaign,
      { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false },
      new Date(),
    );
    const now = new Date();
    expect(await store.campaigns.takeLease(campaign.id, new Date(now.getTime() + 10_000), now)).not.toBeNull();
    expect(await store.campaigns.takeLease(campaign.id, new Date(now.getTime() + 10_000), now)).toBeNull();
    expect(await store.campaigns.takeLease(campaign.id, new Date(now.getTime() + 30_000), new Date(now.getTime() + 20_000))).not.toBeNull();
    const [first, second] = await Promise.all([store.campaigns.claim(campaign.id, 3, now, now), store.campaigns.claim(campaign.id, 3, now, now)]);
    const ids = [...first!, ...second!].map((claimed) => claimed.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(4);
    expect(first![0]!.contact.name).toMatch(/Customer/);
  });

  it("lists the running campaigns of one inbox, or of every workspace", async () => {
    const mine = await seed(store, "running-mine");
    const other = await seed(store, "running-other");
    const idle = await store.campaigns.create({ ...mine.campaign, id: newId(), name: "Draft", scheduleAt: null, createdBy: null });
    for (const { workspace, campaign } of [mine, other]) {
      await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    }
    expect(await store.campaigns.listRunning(mine.inbox.id)).toEqual([{ id: mine.campaign.id, workspaceId: mine.workspace.id, inboxId: mine.inbox.id }]);
    const everywhere = (await store.campaigns.listRunning()).map((campaign) => campaign.id);
    expect(everywhere).toEqual(expect.arrayContaining([mine.campaign.id, other.campaign.id]));
    expect(everywhere).not.toContain(idle.id);
  });

  it("records outcomes only while pending, follows acks forward only, and counts reached contacts", async () => {
    const { workspace, inbox, campaign, contacts } = await seed(store, "outcomes");
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    await store.campaigns.materialise(
      campaign,
      { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false },
      new Date(),
    );
    const claimed = await store.campaigns.claim(campaign.id, 4, new Date(), new Date());
    const conversations = await store.campaigns.ensureConversations(workspace.id, inbox.id, new Map(contacts.map((contact) => [contact.id, newId()])));
    expect(conversations.size).toBe(4);
    const conversation = await store.conversations.findById(workspace.id, conversations.get(contacts[0]!.id)!);
    expect(conversation?.status).toBe("resolved");
    const [one, two, three, four] = claimed;
    // Claimed, not yet answered: the four count as reached (sends in flight), unless claimed before `inFlightSince`.
    const dayAgo = new Date(Date.now() - 86_400_000);
    expect((await store.campaigns.reachedSince(inbox.id, dayAgo, new Date(Date.now() - 60_000))).contacts).toBe(4);
    expect((await store.campaigns.reachedSince(inbox.id, dayAgo, new Date(Date.now() + 60_000))).contacts).toBe(0);
    const messageId = newId();
    const draft = {
      id: messageId,
      workspaceId: workspace.id,
      inboxId: inbox.id,
      conversationId: conversations.get(one!.contact.id)!,
      direction: "outbound",
      type: "text",
      body: "Hi",
      senderType: "agent",
      senderId: null,
      status: "pending",
      clientMessageId: `campaign:${campaign.id}`,
      campaignId: campaign.id,
      sentAt: null,
      createdAt: new Date(),
    } as const;
    await store.campaigns.storeClaimedMessages([{ recipientId: one!.id, message: draft }]);
    // Claimed again after its link was lost: the message is there already, so it is neither stored twice nor linked again.
    await store.campaigns.storeClaimedMessages([{ recipientId: two!.id, message: { ...draft, id: newId() } }]);
    const linked = await store.campaigns.recipients(workspace.id, campaign.id, { limit: 10 });
    expect(linked.find((recipient) => recipient.id === one!.id)?.messageId).toBe(messageId);
    expect(linked.find((recipient) => recipient.id === two!.id)?.messageId).toBeNull();
    const at = new Date();
    await store.campaigns.record(
      [
        { id: one!.id, messageId, kind: "sent", providerMessageId: "wamid.1" },
        { id: two!.id, messageId: null, kind: "failed", reason: "Not delivered", code: "131050", optOut: true },
        { id: three!.id, messageId: null, kind: "released", notBefore: new Date(Date.now() + 60_000), refund: true },
        { id: four!.id, messageId: null, kind: "skipped", reason: "missing_variable" },
      ],
      at,
    );
    // A late duplicate outcome changes nothing.
    await store.campaigns.record([{ id: one!.id, messageId, kind: "failed", reason: "late", code: null, optOut: false }], at);
    const message = await store.messages.findById(workspace.id, messageId);
    expect(message).toMatchObject({ status: "sent", providerMessageId: "wamid.1", campaignId: campaign.id });
    expect((await store.contacts.findById(workspace.id, two!.contact.id))?.optOutSource).toBe("provider");
    expect((await store.campaigns.counts([campaign.id])).get(campaign.id)).toMatchObject({ sent: 1, failed: 1, pending: 1, skipped: 1, opted_out: 1 });
    expect(await store.campaigns.progress(workspace.id, campaign.id)).toEqual({
      status: "running",
      waiting: null,
      counts: { total: 4, pending: 1, sent: 1, delivered: 0, read: 0, replied: 0, failed: 1, skipped: 1, opted_out: 1 },
    });
    const until = new Date(Date.now() + 3_600_000);
    await store.campaigns.setWaiting(campaign.id, { until, reason: "daily_cap" });
    expect((await store.campaigns.progress(workspace.id, campaign.id))?.waiting).toEqual({ until, reason: "daily_cap" });
    await store.campaigns.setWaiting(campaign.id, null);
    expect(await store.campaigns.pendingState(campaign.id)).toMatchObject({ pending: 1 });
    expect((await store.campaigns.pendingState(campaign.id)).nextDueAt).not.toBeNull();
    // One sent; the released one (back in line) and the failed and skipped ones reached nobody.
    expect((await store.campaigns.reachedSince(inbox.id, new Date(Date.now() - 60_000))).contacts).toBe(1);

    const { changed: read } = await store.messages.advanceStatusesByProviderId(inbox.id, [
      { providerMessageId: "wamid.1", to: "read", fromStatuses: ["pending", "sent", "delivered"], stamps: ["sentAt", "deliveredAt", "readAt"], at },
    ]);
    expect(await store.campaigns.followMessages(read.map((m) => m.id))).toEqual([{ workspaceId: workspace.id, campaignId: campaign.id }]);
    expect(await store.campaigns.followMessages(read.map((m) => m.id))).toEqual([]);
    const [row] = await store.campaigns.recipients(workspace.id, campaign.id, { status: "read", limit: 10 });
    expect(row?.readAt).not.toBeNull();
    expect(await store.campaigns.markReplied(workspace.id, [one!.contact.id], new Date(Date.now() - 60_000), new Date())).toHaveLength(1);
    expect((await store.campaigns.counts([campaign.id])).get(campaign.id)?.replied).toBe(1);
    // Another workspace sees none of its recipients.
    const other = await seed(store, "outsider");
    expect(await store.campaigns.recipients(other.workspace.id, campaign.id, { limit: 10 })).toEqual([]);
    expect(await store.campaigns.findById(other.workspace.id, campaign.id)).toBeNull();
    expect(await store.campaigns.progress(other.workspace.id, campaign.id)).toBeNull();
  });

  it("keeps the counts equal to a recount of the recipients through every change, and drops them with the campaign", async () => {
    const { workspace, inbox, campaign, contacts } = await seed(store, "counts");
    const recount = async () => {
      const rows = await store.campaigns.recipients(workspace.id, campaign.id, { limit: 100 });
      const counts = { total: rows.length, pending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, opted_out: 0 };
      for (const row of rows) {
        counts[row.status]++;
        if (row.repliedAt) counts.replied++;
        if (row.optedOutAt || row.reason === "opted_out") counts.opted_out++;
      }
      return counts;
    };
    const stored = async () => (await store.campaigns.counts([campaign.id])).get(campaign.id);
    expect(await stored()).toBeUndefined();
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    await store.campaigns.materialise(
      campaign,
      { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false },
      new Date(),
    );
    expect(await stored()).toEqual(await recount());
    const [one, two, three] = await store.campaigns.claim(campaign.id, 3, new Date(), new Date());
    // A claim moves nothing counted.
    expect(await stored()).toMatchObject({ total: 4, pending: 4 });
    await store.campaigns.record(
      [
        { id: one!.id, messageId: null, kind: "sent", providerMessageId: "wamid.counts.1" },
        { id: two!.id, messageId: null, kind: "failed", reason: "Not delivered", code: "131050", optOut: true },
        { id: three!.id, messageId: null, kind: "failed", reason: "Message undeliverable", code: "131026", optOut: false },
      ],
      new Date(),
    );
    await store.campaigns.markReplied(workspace.id, [one!.contact.id, contacts[3]!.id], new Date(Date.now() - 60_000), new Date());
    expect(await stored()).toEqual(await recount());
    expect(await stored()).toMatchObject({ total: 4, pending: 1, sent: 1, failed: 2, opted_out: 1, replied: 1 });
    // Retry puts back the failed one that is not a suppression; cancel skips every pending one.
    expect(await store.campaigns.retryFailed(campaign.id, ["131050"], new Date())).toBe(1);
    expect(await store.campaigns.skipPending(campaign.id, "cancelled", new Date())).toBe(2);
    expect(await stored()).toEqual(await recount());
    expect(await stored()).toMatchObject({ pending: 0, skipped: 2, failed: 1 });
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["running"], to: "cancelled", at: new Date() });
    expect(await store.campaigns.delete(workspace.id, campaign.id, ["cancelled"])).toBe(true);
    expect(await stored()).toBeUndefined();
  });

  it("fails claims a dead dispatcher left twice, retries the failed except suppressions, and completes when none is pending", async () => {
    const { workspace, inbox, campaign } = await seed(store, "recovery");
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    await store.campaigns.materialise(
      campaign,
      { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false },
      new Date(),
    );
    const leaseTaken = new Date(Date.now() - 1000);
    const first = await store.campaigns.claim(campaign.id, 4, new Date(), leaseTaken);
    // The dispatcher holding the lease does not claim its own claims again…
    expect(await store.campaigns.claim(campaign.id, 4, new Date(), leaseTaken)).toEqual([]);
    expect(await store.campaigns.failInterrupted(campaign.id, new Date())).toBe(0);
    // …the next one (after it died) claims them once more, and fails them if that one dies too.
    const again = await store.campaigns.claim(campaign.id, 4, new Date(), new Date(Date.now() + 1000));
    expect(again.map((claimed) => claimed.attempts)).toEqual([2, 2, 2, 2]);
    expect(await store.campaigns.failInterrupted(campaign.id, new Date())).toBe(4);
    expect(await store.campaigns.complete(campaign.id, new Date())).not.toBeNull();
    expect(await store.campaigns.retryFailed(campaign.id, ["131050"], new Date())).toBe(4);
    const [refused] = await store.campaigns.claim(campaign.id, 1, new Date(), new Date());
    await store.campaigns.record([{ id: refused!.id, messageId: null, kind: "failed", reason: "x", code: "131050", optOut: true }], new Date());
    expect(first.length).toBe(4);
    expect(await store.campaigns.retryFailed(campaign.id, ["131050"], new Date())).toBe(0);
  });

  it("takes an inbox's daily room from the stored bound without recounting, and recounts only where the cap is near", async () => {
    const { workspace, inbox, campaign } = await seed(store, "daily-room");
    await store.campaigns.changeStatus(workspace.id, campaign.id, { from: ["draft"], to: "running", at: new Date() });
    await store.campaigns.materialise(
      campaign,
      { workspaceId: workspace.id, inboxId: inbox.id, audience: campaign.audience, requireWritten: false },
      new Date(),
    );
    let recounts = 0;
    const leaseTaken = new Date(Date.now() - 1000);
    const take = (dailyCap: number, wanted: number, claim: number) =>
      store.transaction(async (repositories) => {
        const campaigns = repositories.campaigns;
        const counting: DailyReachRepository = {
          reachedSince: (...args) => {
            recounts += 1;
            return campaigns.reachedSince(...args);
          },
          reserveDailyRoom: (...args) => campaigns.reserveDailyRoom(...args),
          lockDailyRoom: (...args) => campaigns.lockDailyRoom(...args),
          storeDailyReach: (...args) => campaigns.storeDailyReach(...args),
          releaseDailyRoom: (...args) => campaigns.releaseDailyRoom(...args),
        };
        const taken = await takeDailyRoom(counting, inbox.id, dailyCap, wanted, new Date());
        if (taken.kind !== "taken") return taken;
        const claimed = await campaigns.claim(campaign.id, Math.min(claim, taken.places), new Date(), leaseTaken);
        if (claimed.length < taken.places) await campaigns.releaseDailyRoom(inbox.id, taken.places - claimed.length);
        return { kind: "taken" as const, places: claimed.length };
      });

    // Nothing stored yet: counted (nobody reached), two places taken and claimed.
    expect(await take(3, 2, 2)).toEqual({ kind: "taken", places: 2 });
    expect(recounts).toBe(1);
    // The bound (2 + 2 more) would pass 3: recounted (the 2 in flight), one place left.
    expect(await take(3, 2, 2)).toEqual({ kind: "taken", places: 1 });
    expect(recounts).toBe(2);
    // Full: recounted, and none until the sends in flight settle.
    const full = await take(3, 1, 1);
    expect(full.kind).toBe("daily_cap");
    expect(recounts).toBe(3);
    // Far from a bigger cap: taken from the bound alone; the unclaimed places are given back…
    expect(await take(100, 2, 0)).toEqual({ kind: "taken", places: 0 });
    expect(recounts).toBe(3);
    // …so 3 reached + 2 wanted still fits a cap of 5 without a recount.
    expect(await take(5, 2, 0)).toEqual({ kind: "taken", places: 0 });
    expect(recounts).toBe(3);
    // Two claims at once for the last place of a cap of 4 (3 reached): one gets it.
    const both = await Promise.all([take(4, 1, 1), take(4, 1, 1)]);
    expect(both.filter((result) => result.kind === "taken" && result.places === 1)).toHaveLength(1);
    expect((await store.campaigns.reachedSince(inbox.id, new Date(Date.now() - 60_000))).contacts).toBe(4);
  });
}
