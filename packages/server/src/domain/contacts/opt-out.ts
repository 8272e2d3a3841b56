/**
 * Opting contacts out of campaigns (issue 10, part 4): by keyword (a customer writes STOP,
 * BERHENTI…), by Meta's error 131050 (the user stopped marketing messages), by an agent, or by an
 * import. Campaigns skip opted-out contacts; agents can still answer them in a chat.
 */
import type { OptOutSource } from "@parley/protocol/values";
import { maxOptKeywordLength } from "@parley/protocol/api";
import type { DomainEvent } from "../events.ts";
import { newId } from "../ids.ts";
import { appendMessage } from "../messages/append-message.ts";
import type { Message } from "../messages/message.ts";
import type { Repositories } from "../ports.ts";
import { loadWorkspaceSettings } from "../tenancy/workspace-settings.usecases.ts";
import { keywordKey } from "../tenancy/workspace-settings.ts";
import type { Contact } from "./contact.ts";

/** How far back a campaign send counts as the one a customer answered STOP to, in ms (72 h). */
export const optOutAttributionMs = 72 * 60 * 60 * 1000;

/** What opting a contact out or in did: `changed` false when it already was so; the events to broadcast after commit. */
export interface OptOutOutcome {
  contact: Contact;
  changed: boolean;
  events: DomainEvent[];
}

/**
 * Opts a contact out of campaigns, inside the caller's transaction (pass a transaction's
 * repositories, or the Store itself for a single write). On a change it also stamps
 * `opted_out_at` on the contact's campaign recipients sent in the 72 h before `at` (the campaign
 * analytics count them as opted out) and returns `contact.updated` to broadcast. Opting out a
 * contact who already is changes nothing (the first time and source are kept). Null when the
 * workspace has no such contact.
 */
export async function optOutContact(
  repositories: Pick<Repositories, "contacts">,
  workspaceId: string,
  contactId: string,
  source: OptOutSource,
  at: Date,
): Promise<OptOutOutcome | null> {
  const result = await repositories.contacts.setOptOut(workspaceId, contactId, { at, source });
  if (!result) return null;
  if (!result.changed) return { ...result, events: [] };
  await repositories.contacts.stampCampaignOptOut(workspaceId, contactId, at, new Date(at.getTime() - optOutAttributionMs));
  return { ...result, events: [{ type: "contact.updated", workspaceId, contact: result.contact }] };
}

/** Opts a contact back into campaigns (an agent, or the customer's START). Null when the workspace has no such contact. */
export async function optInContact(repositories: Pick<Repositories, "contacts">, workspaceId: string, contactId: string): Promise<OptOutOutcome | null> {
  const result = await repositories.contacts.setOptOut(workspaceId, contactId, null);
  if (!result) return null;
  return { ...result, events: result.changed ? [{ type: "contact.updated", workspaceId, contact: result.contact }] : [] };
}

/**
 * Whether a message's text is short enough to be a keyword at all: the cheap test every inbound
 * message passes through, so only these cost a read of the workspace's keywords. Punctuation and
 * spaces around a keyword ("Stop!!", " berhenti. ") are allowed for.
 */
export function couldBeKeyword(body: string | null): body is string {
  return body !== null && body.length <= maxOptKeywordLength * 2 && /\p{L}/u.test(body);
}

/**
 * Applies opt-out and opt-in keywords to a batch of new customer text messages in private
 * conversations, inside the inbound transaction: a message whose whole text is one of the
 * workspace's `opt_out_keywords` (keywordKey: case, accents and punctuation ignored) opts its
 * sender out (source `keyword`) and, when the workspace has an `opt_out_reply`, queues that reply
 * in the conversation through the normal send path (a `messages.send` job). One of the
 * `opt_in_keywords` opts them back in. "please stop calling me" matches nothing. Reads the
 * settings only when some message could be a keyword. Returns the events to broadcast.
 */
export async function applyOptKeywords(repositories: Repositories, now: Date, workspaceId: string, messages: Message[]): Promise<DomainEvent[]> {
  const candidates = messages.filter((message) => message.senderId !== null && couldBeKeyword(message.body));
  if (candidates.length === 0) return [];
  const settings = await loadWorkspaceSettings(repositories, workspaceId);
  const optOut = new Set(settings.optOutKeywords.map(keywordKey));
  const optIn = new Set(settings.optInKeywords.map(keywordKey));
  const events: DomainEvent[] = [];
  for (const message of candidates) {
    const key = keywordKey(message.body!);
    const contactId = message.senderId!;
    if (optIn.has(key)) {
      events.push(...((await optInContact(repositories, workspaceId, contactId))?.events ?? []));
      continue;
    }
    if (!optOut.has(key)) continue;
    const outcome = await optOutContact(repositories, workspaceId, contactId, "keyword", message.sentAt ?? now);
    if (!outcome?.changed) continue;
    events.push(...outcome.events);
    if (settings.optOutReply) events.push(...(await queueReply(repositories, now, message, settings.optOutReply)));
  }
  return events;
}

/** The opt-out confirmation as Parley's own outbound message, sent by the usual send job. */
async function queueReply(repositories: Repositories, now: Date, answered: Message, body: string): Promise<DomainEvent[]> {
  const conversation = await repositories.conversations.findById(answered.workspaceId, answered.conversationId);
  if (!conversation) return [];
  const { events } = await appendMessage(
    repositories,
    conversation,
    {
      id: newId(now),
      workspaceId: answered.workspaceId,
      inboxId: answered.inboxId,
      conversationId: answered.conversationId,
      direction: "outbound",
      type: "text",
      body,
      senderType: "system",
      senderId: null,
      status: "pending",
      // One confirmation per STOP message, however often its delivery is repeated.
      clientMessageId: `opt-out:${answered.id}`,
      sentAt: null,
      createdAt: now,
    },
    {
      onCreated: (message) =>
        repositories.jobs.schedule("messages.send", { workspaceId: answered.workspaceId, messageId: message.id }, { singletonKey: message.id }),
    },
  );
  return events;
}
