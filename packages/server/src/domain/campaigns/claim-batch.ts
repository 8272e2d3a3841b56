/**
 * Claiming a batch of a campaign's recipients (issue 10, part 3, "exactly once"), committed
 * BEFORE any provider call, in two steps:
 *
 * 1. the recipients are claimed (claimed_at, attempts + 1), no more than the places taken on the
 *    inbox's daily room (daily-room.ts, `takeDailyRoom`), so campaigns of one inbox sending at
 *    once stay within its messaging limit together; a recipient who can no longer receive it
 *    (opted out or blocked since the campaign started, or a variable without value) is skipped
 *    instead, and the places it took are given back;
 * 2. each claimed recipient gets its chat message in the contact's conversation (created if
 *    missing), linked to its row.
 *
 * One transaction on PostgreSQL. On the embedded database each step is a transaction of its own,
 * with the event loop's waiting work between them, so that live work waits half as long behind a
 * claim: there a transaction's statements run back to back on the event loop, and between the two
 * an agent's reply goes first. A crash between them leaves recipients claimed without a message,
 * which a later run claims again like any claim whose send never finished.
 */
import { newId } from "../ids.ts";
import type { NewMessage, Repositories, Store } from "../ports.ts";
import type { OutboundContent, ProviderRecipient } from "../providers/provider.ts";
import type { Campaign } from "./campaign.ts";
import type { ClaimedRecipient, RecipientOutcome } from "./campaigns.port.ts";
import { takeDailyRoom } from "./daily-room.ts";
import { renderCampaignMessage } from "./render.ts";

/** A claimed recipient ready to send: its stored message, who, what. */
export interface SendableRecipient {
  recipientId: string;
  messageId: string;
  recipient: ProviderRecipient;
  content: OutboundContent;
  /** The text shown in the chat (WhatsApp Web's typing time depends on its length). */
  text: string;
  /** Claims of this recipient so far, this one included. */
  attempts: number;
}

/** The client_message_id of a campaign's message: one per (conversation, campaign), so a repeated claim stores nothing twice. */
export const campaignClientMessageId = (campaignId: string) => `campaign:${campaignId}`;

/** What a claim came to: recipients to send (maybe none), or no room left in the inbox's daily cap until `freesAt`. */
export type ClaimedBatch = { kind: "claimed"; recipients: SendableRecipient[] } | { kind: "daily_cap"; freesAt: Date };

/**
 * Claims up to `limit` due recipients of `campaign`, no more than the inbox's daily room for
 * `dailyCap` (daily-room.ts), and stores their messages; returns those to send.
 */
export async function claimBatch(
  store: Store,
  campaign: Campaign,
  context: { limit: number; dailyCap: number; now: Date; templateBody: string | null; leaseTakenAt: Date; inTwoTransactions?: boolean },
): Promise<ClaimedBatch> {
  const { now } = context;
  const claim = async (repositories: Repositories): Promise<{ kind: "claimed"; ready: ReadyRecipient[] } | DailyCapReached> => {
    const taken = await takeDailyRoom(repositories.campaigns, campaign.inboxId, context.dailyCap, context.limit, now);
    if (taken.kind === "daily_cap") return taken;
    const ready = await claimRenderable(repositories, campaign, { ...context, limit: taken.places });
    const unused = taken.places - ready.length;
    if (unused > 0 && context.dailyCap !== Number.POSITIVE_INFINITY) await repositories.campaigns.releaseDailyRoom(campaign.inboxId, unused);
    return { kind: "claimed", ready };
  };
  if (!context.inTwoTransactions) {
    return store.transaction(async (repositories): Promise<ClaimedBatch> => {
      const claimed = await claim(repositories);
      if (claimed.kind === "daily_cap") return claimed;
      return { kind: "claimed", recipients: await storeMessages(repositories, campaign, claimed.ready, now) };
    });
  }
  const claimed = await store.transaction(claim);
  if (claimed.kind === "daily_cap") return claimed;
  if (claimed.ready.length === 0) return { kind: "claimed", recipients: [] };
  // Whatever the event loop has waiting (an agent's reply) runs before the second transaction.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return { kind: "claimed", recipients: await store.transaction((repositories) => storeMessages(repositories, campaign, claimed.ready, now)) };
}

type DailyCapReached = Extract<ClaimedBatch, { kind: "daily_cap" }>;

/** A claimed recipient that can receive the campaign's message, rendered for them. */
interface ReadyRecipient {
  claim: ClaimedRecipient;
  rendered: Extract<ReturnType<typeof renderCampaignMessage>, { ok: true }>;
}

/** Claims up to `context.limit` due recipients; records those who cannot receive it as skipped; returns the others, rendered. */
async function claimRenderable(
  repositories: Repositories,
  campaign: Campaign,
  context: { limit: number; now: Date; templateBody: string | null; leaseTakenAt: Date },
): Promise<ReadyRecipient[]> {
  const { now } = context;
  const claimed = await repositories.campaigns.claim(campaign.id, context.limit, now, context.leaseTakenAt);
  if (claimed.length === 0) return [];
  const skipped: RecipientOutcome[] = [];
  const ready: ReadyRecipient[] = [];
  for (const claim of claimed) {
    const reason = claim.optedOut ? "opted_out" : claim.blocked ? "blocked" : claim.contact.phone === null ? "no_phone" : null;
    const rendered = reason === null ? renderCampaignMessage(campaign.id, campaign.message, claim.contact, context.templateBody) : null;
    if (reason !== null || !rendered?.ok) {
      skipped.push({ id: claim.id, messageId: claim.messageId, kind: "skipped", reason: reason ?? "missing_variable" });
      continue;
    }
    ready.push({ claim, rendered });
  }
  if (skipped.length > 0) await repositories.campaigns.record(skipped, now);
  return ready;
}

/** Stores each ready recipient's chat message in the contact's conversation (created if missing) and links it to the row. */
async function storeMessages(repositories: Repositories, campaign: Campaign, ready: ReadyRecipient[], now: Date): Promise<SendableRecipient[]> {
  if (ready.length === 0) return [];
  const conversationIds = await repositories.campaigns.ensureConversations(
    campaign.workspaceId,
    campaign.inboxId,
    new Map(ready.map(({ claim }) => [claim.contact.id, newId(now)])),
  );
  const drafts: Array<{ recipientId: string; message: NewMessage }> = [];
  const sendable: SendableRecipient[] = [];
  for (const { claim, rendered } of ready) {
    const conversationId = conversationIds.get(claim.contact.id)!;
    let messageId = claim.messageId;
    if (messageId === null) {
      messageId = newId(now);
      drafts.push({
        recipientId: claim.id,
        message: {
          id: messageId,
          workspaceId: campaign.workspaceId,
          inboxId: campaign.inboxId,
          conversationId,
          direction: "outbound",
          type: rendered.kind === "template" ? "template" : "text",
          body: rendered.text,
          senderType: "agent",
          senderId: campaign.createdBy,
          status: "pending",
          clientMessageId: campaignClientMessageId(campaign.id),
          campaignId: campaign.id,
          ...(rendered.kind === "template" ? { attributes: { template: rendered.template } } : {}),
          sentAt: null,
          createdAt: now,
        },
      });
    }
    sendable.push({
      recipientId: claim.id,
      messageId,
      recipient: { conversationId, contactId: claim.contact.id, phone: claim.contact.phone, groupJid: null },
      content: rendered.kind === "template" ? { kind: "template", template: rendered.template } : { kind: "text", body: rendered.text },
      text: rendered.text,
      attempts: claim.attempts,
    });
  }
  // A message that already existed (same conversation and campaign) was stored by an earlier
  // claim whose link was lost; the row keeps pointing at nothing and the send goes on.
  await repositories.campaigns.storeClaimedMessages(drafts);
  return sendable;
}
