import type { PendingOutcomeWrites } from "../campaigns/outcome-writes.ts";
import type { Clock } from "../clock.ts";
import { applyOptKeywords } from "../contacts/opt-out.ts";
import { phoneMatchCandidates, toE164 } from "../contacts/phone.ts";
import type { Conversation } from "../conversations/conversation.ts";
import type { DomainEvent, EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { NewMessage, PhoneContactDraft, Repositories, Store } from "../ports.ts";
import type { InboundEvent, InboundGroupUpdate, InboundMessage, InboundRevision, InboundStatus } from "../providers/inbound.ts";
import type { Message, MessageAttributes } from "./message.ts";
import { applyStatuses } from "./apply-statuses.ts";
import { followReplies } from "../campaigns/follow.ts";

export interface InboundDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  /**
   * Campaign outcomes this process holds unwritten: statuses are applied only after they are
   * written, so an ack applied here never comes before its send's provider id (one applied on
   * another node meanwhile is tried again later: late-statuses.ts).
   */
  outcomeWrites?: Pick<PendingOutcomeWrites, "settled"> | undefined;
}

/** What applying a batch of inbound events did, for logs and tests. */
export interface InboundOutcome {
  /** Messages stored now (duplicates of earlier deliveries are not counted). */
  stored: number;
  duplicates: number;
  /** Status changes that moved a message forward, and edits and deletes applied. */
  statusChanges: number;
  /** Events that changed nothing: late or repeated statuses, unknown message ids, bad numbers. */
  ignored: number;
}

/** `applyInbound`'s result: the outcome, and the events to publish once the transaction commits. */
export interface AppliedInbound {
  outcome: InboundOutcome;
  events: DomainEvent[];
}

/** Options of {@link applyInbound}. */
export interface ApplyInboundOptions {
  /**
   * How many times these statuses were applied before (a `messages.late-statuses` job's attempt;
   * 0, the default, for what a provider just reported): a status whose message is not found is
   * tried again later only while messages/late-statuses.ts allows another try.
   */
  lateStatusAttempt?: number;
}

/**
 * Applies what a provider reported in one transaction and broadcasts it after the commit
 * (see `applyInbound`).
 */
export async function receiveInbound(
  deps: InboundDependencies,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  inbound: InboundEvent[],
  options: ApplyInboundOptions = {},
): Promise<InboundOutcome> {
  if (inbound.some((event) => event.kind === "status")) await deps.outcomeWrites?.settled();
  const now = deps.clock.now();
  const applied = await deps.store.transaction((repositories) => applyInbound(repositories, now, inbox, inbound, options));
  await deps.events.publish(applied.events);
  return applied.outcome;
}

/**
 * Applies a batch of what a provider reported (ARCHITECTURE.md, "Flows", inbound), inside the
 * caller's transaction, in a fixed number of statements however large the batch: each customer
 * message gets its contact (by E.164 phone, Brazilian 9th-digit forms matched as one), its
 * conversation and the message itself, deduplicated on the provider's message id, with a media
 * download job when it carries media; each status moves its message forward through the state
 * machine only. `now` caps customer timestamps that are ahead of ours. Returns the events to
 * broadcast after the commit: per conversation its new messages (oldest first), then the
 * conversation once, then what opt-out keywords did (opt-out.ts); then the status changes.
 * Repeated and out-of-order deliveries change nothing twice. A status for a provider message id
 * no message has yet is scheduled to be applied again later (messages/late-statuses.ts), in the
 * same transaction.
 */
export async function applyInbound(
  repositories: Repositories,
  now: Date,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  inbound: InboundEvent[],
  options: ApplyInboundOptions = {},
): Promise<AppliedInbound> {
  const outcome: InboundOutcome = { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0 };
  const messages = inbound.filter((event): event is InboundMessage => event.kind === "message");
  const statuses = inbound.filter((event): event is InboundStatus => event.kind === "status");
  const revisions = inbound.filter((event): event is InboundRevision => event.kind === "revision");
  const groupUpdates = inbound.filter((event): event is InboundGroupUpdate => event.kind === "group");
  // Groups first: a batch's messages then land in a group that already has its subject.
  const events = await applyGroupUpdates(repositories, now, inbox, groupUpdates, outcome);
  events.push(...(await storeMessages(repositories, now, inbox, messages, outcome)));
  events.push(...(await applyStatuses(repositories, now, inbox, statuses, outcome, options.lateStatusAttempt ?? 0)));
  events.push(...(await applyRevisions(repositories, inbox, revisions, outcome)));
  return { outcome, events };
}

interface Candidate {
  event: InboundMessage;
  /** The customer's E.164 number: the sender, or for the owner's own private message its recipient; null for the owner's own group message. */
  phone: string | null;
  /** Ordered by when the customer wrote, not when the webhook came; a clock ahead of ours is capped. */
  sentAt: Date;
}

async function storeMessages(
  repositories: Repositories,
  now: Date,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  messages: InboundMessage[],
  outcome: InboundOutcome,
): Promise<DomainEvent[]> {
  const workspaceId = inbox.workspaceId;
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  // A batch holds many messages of few customers (an imported history: 50 each), and parsing a
  // number is the costly part of taking a message in.
  const e164 = new Map<string, string | null>();
  for (const event of messages) {
    let phone = e164.get(event.from.phone);
    if (phone === undefined) {
      phone = toE164(event.from.phone);
      e164.set(event.from.phone, phone);
    }
    const ownGroupMessage = event.fromMe === true && event.group !== undefined;
    if (!phone && !ownGroupMessage) {
      outcome.ignored += 1;
    } else if (seen.has(event.providerMessageId)) {
      outcome.duplicates += 1;
    } else {
      seen.add(event.providerMessageId);
      candidates.push({ event, phone: ownGroupMessage ? null : phone, sentAt: event.sentAt.getTime() > now.getTime() ? now : event.sentAt });
    }
  }
  if (candidates.length === 0) return [];

  const quotedIds = candidates.flatMap(({ event }) => (event.replyToProviderMessageId ? [event.replyToProviderMessageId] : []));
  const known = await repositories.messages.idsByProviderMessageIds(inbox.id, [...seen, ...quotedIds]);
  const fresh = candidates.filter(({ event }) => !known.has(event.providerMessageId));
  outcome.duplicates += candidates.length - fresh.length;
  if (fresh.length === 0) return [];

  const withContact = fresh.filter((candidate): candidate is Candidate & { phone: string } => candidate.phone !== null);
  // One draft per customer, named by the first message that carries a name.
  const contactDrafts = new Map<string, PhoneContactDraft>();
  for (const { event, phone } of withContact) {
    // The business's own profile name is not the customer's.
    const name = event.fromMe ? null : event.from.name;
    const draft = contactDrafts.get(phone);
    if (!draft) contactDrafts.set(phone, { id: newId(now), phone, candidates: phoneMatchCandidates(phone), name });
    else if (!draft.name && name) draft.name = name;
  }
  const contacts = await repositories.contacts.upsertManyByPhone(workspaceId, [...contactDrafts.values()]);
  const contactIdOf = (candidate: Candidate) => (candidate.phone === null ? null : contacts.get(candidate.phone)!.id);
  const privateIds = new Map<string, string>();
  for (const candidate of withContact)
    if (!candidate.event.group && !privateIds.has(contactIdOf(candidate)!)) privateIds.set(contactIdOf(candidate)!, newId(now));
  const privates = await repositories.conversations.getOrCreatePrivateMany({ workspaceId, inboxId: inbox.id, ids: privateIds });
  const groupDrafts = new Map<string, { id: string; subject: string | null }>();
  for (const { event } of fresh)
    if (event.group && !groupDrafts.has(event.group.jid)) groupDrafts.set(event.group.jid, { id: newId(now), subject: event.group.subject });
  const groups = await repositories.conversations.getOrCreateGroupMany({ workspaceId, inboxId: inbox.id, groups: groupDrafts });
  const conversationOf = (candidate: Candidate) =>
    candidate.event.group ? groups.get(candidate.event.group.jid)!.conversation : privates.get(contactIdOf(candidate)!)!.conversation;
  const conversations = [...privates.values(), ...groups.values()];

  // A customer may quote a message of the same batch: its id is known before it is stored.
  const draftIds = new Map(fresh.map((candidate) => [candidate.event.providerMessageId, newId(candidate.sentAt)]));
  const drafts: NewMessage[] = fresh.map((candidate) => draftOf(candidate, inbox, conversationOf(candidate), draftIds, known, contactIdOf(candidate)));
  // Imported history is not broadcast message by message: its rows need not be read back.
  const historyIds = new Set(fresh.filter(({ event }) => event.history).map(({ event }) => draftIds.get(event.providerMessageId)!));
  const created = await repositories.messages.insertMany(drafts.filter((draft) => !historyIds.has(draft.id)));
  const importedIds = await repositories.messages.insertManyIds(drafts.filter((draft) => historyIds.has(draft.id)));
  const imported = drafts.filter((draft) => importedIds.has(draft.id));
  const stored: Array<Pick<NewMessage, "id" | "conversationId" | "attributes">> = [...created, ...imported];
  // Rows another transaction stored meanwhile are skipped by the insert: duplicates too.
  outcome.duplicates += drafts.length - stored.length;
  outcome.stored += stored.length;
  if (stored.length === 0) return [];

  await repositories.conversations.recordMessages([
    ...created.map((message) =>
      message.direction === "inbound"
        ? { conversationId: message.conversationId, message, unreadIncrement: 1, inboundAt: message.sentAt ?? message.createdAt, reopen: true }
        : { conversationId: message.conversationId, message, unreadIncrement: 0 },
    ),
    ...imported.map((message) => ({ conversationId: message.conversationId, message, unreadIncrement: 0 })),
  ]);
  for (const message of stored) {
    if (message.attributes?.remoteMediaId) {
      await repositories.jobs.schedule("media.download", { workspaceId, messageId: message.id }, { singletonKey: message.id });
    }
  }
  await scheduleEnrichment(repositories, workspaceId, created, imported);
  const events = await messageEvents(repositories, workspaceId, created, imported, conversations);
  // Only what a customer says in their own chat counts: a reply or a STOP in a group is said to the group, not to the business; history is not said now.
  const privateConversationIds = new Set([...privates.values()].map(({ conversation }) => conversation.id));
  const fromCustomers = created.filter((message) => message.direction === "inbound" && privateConversationIds.has(message.conversationId));
  // A customer writing in their own chat replies to the campaigns that reached them lately.
  const repliers = fromCustomers.filter((message) => message.senderId !== null);
  events.push(
    ...(await followReplies(
      repositories,
      workspaceId,
      repliers.map((message) => message.senderId!),
      now,
    )),
  );
  events.push(
    ...(await applyOptKeywords(
      repositories,
      now,
      workspaceId,
      fromCustomers.filter((message) => message.type === "text"),
    )),
  );
  return events;
}

/**
 * One enrichment job for the batch's customer messages with text, off the hot path: live ones in
 * the background queue, imported history in bulk behind everything else.
 */
async function scheduleEnrichment(
  repositories: Repositories,
  workspaceId: string,
  created: Array<Pick<NewMessage, "id" | "direction" | "body">>,
  imported: Array<Pick<NewMessage, "id" | "direction" | "body">>,
): Promise<void> {
  const customerText = (list: Array<Pick<NewMessage, "id" | "direction" | "body">>) =>
    list.filter((message) => message.direction === "inbound" && message.body).map((message) => message.id);
  const live = customerText(created);
  const history = customerText(imported);
  if (live.length > 0) await repositories.jobs.schedule("messages.enrich", { workspaceId, messageIds: live });
  if (history.length > 0) await repositories.jobs.schedule("messages.enrich", { workspaceId, messageIds: history }, { priority: "bulk" });
}

function draftOf(
  { event, sentAt }: Candidate,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  conversation: Conversation,
  draftIds: Map<string, string>,
  known: Map<string, string>,
  contactId: string | null,
): NewMessage {
  const quoted = event.replyToProviderMessageId;
  const attributes: MessageAttributes = {
    ...(event.location ? { location: event.location } : {}),
    ...(event.contacts ? { contacts: event.contacts } : {}),
    ...(event.interactiveReplyId ? { interactiveReplyId: event.interactiveReplyId } : {}),
    ...(event.media ? { remoteMediaId: event.media.providerMediaId } : {}),
    ...(event.media?.filename ? { remoteFilename: event.media.filename } : {}),
    ...(event.fromMe ? { sentFromPhone: true as const } : {}),
  };
  return {
    id: draftIds.get(event.providerMessageId)!,
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    conversationId: conversation.id,
    direction: event.fromMe ? "outbound" : "inbound",
    type: event.type,
    body: event.body,
    senderType: event.fromMe ? "agent" : "contact",
    senderId: event.fromMe ? null : contactId,
    status: "sent",
    clientMessageId: null,
    providerMessageId: event.providerMessageId,
    replyToId: quoted ? (known.get(quoted) ?? draftIds.get(quoted) ?? null) : null,
    attributes,
    sentAt,
    createdAt: sentAt,
  };
}

/**
 * Per conversation: its new messages, then the conversation (created with its first message).
 * Imported history shows through its conversation only, not as hundreds of live messages.
 */
async function messageEvents(
  repositories: Repositories,
  workspaceId: string,
  created: Message[],
  imported: Array<Pick<NewMessage, "conversationId">>,
  conversations: Array<{ conversation: Conversation }>,
): Promise<DomainEvent[]> {
  const before = new Map(conversations.map(({ conversation }) => [conversation.id, conversation]));
  const byConversation = new Map<string, Message[]>();
  for (const { conversationId } of imported) if (!byConversation.has(conversationId)) byConversation.set(conversationId, []);
  for (const message of created) byConversation.set(message.conversationId, [...(byConversation.get(message.conversationId) ?? []), message]);
  const summaries = new Map((await repositories.conversations.findSummaries(workspaceId, [...byConversation.keys()])).map((summary) => [summary.id, summary]));
  const events: DomainEvent[] = [];
  for (const [conversationId, list] of byConversation) {
    for (const message of list) events.push({ type: message.direction === "inbound" ? "message.received" : "message.sent", workspaceId, message });
    const summary = summaries.get(conversationId);
    if (summary) {
      const isNew = before.get(conversationId)?.lastMessageId === null;
      events.push({ type: isNew ? "conversation.created" : "conversation.updated", workspaceId, conversation: summary });
    }
  }
  return events;
}

/** Edits and deletes for everyone, each moving its message once (a repeated delete changes nothing). */
async function applyRevisions(
  repositories: Repositories,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  revisions: InboundRevision[],
  outcome: InboundOutcome,
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  for (const revision of revisions) {
    const message = await repositories.messages.reviseByProviderId(inbox.id, revision.providerMessageId, { body: revision.body, at: revision.at });
    if (!message) {
      outcome.ignored += 1;
      continue;
    }
    outcome.statusChanges += 1;
    events.push({ type: "message.updated", workspaceId: inbox.workspaceId, message });
  }
  return events;
}

/** Groups' subjects and members as WhatsApp reports them; a group already in the inbox list is re-broadcast. */
async function applyGroupUpdates(
  repositories: Repositories,
  now: Date,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  updates: InboundGroupUpdate[],
  outcome: InboundOutcome,
): Promise<DomainEvent[]> {
  if (updates.length === 0) return [];
  // The last report of a group wins.
  const latest = new Map(updates.map((update) => [update.jid, update]));
  const groups = await repositories.conversations.getOrCreateGroupMany({
    workspaceId: inbox.workspaceId,
    inboxId: inbox.id,
    groups: new Map([...latest].map(([jid, update]) => [jid, { id: newId(now), subject: update.subject }])),
  });
  const shown: string[] = [];
  for (const [jid, update] of latest) {
    const { conversation } = groups.get(jid)!;
    if (update.participants) await repositories.conversations.replaceGroupParticipants(inbox.workspaceId, conversation.id, update.participants, update.at);
    outcome.statusChanges += 1;
    if (conversation.lastMessageId !== null) shown.push(conversation.id);
  }
  const summaries = await repositories.conversations.findSummaries(inbox.workspaceId, shown);
  return summaries.map((summary) => ({ type: "conversation.updated", workspaceId: inbox.workspaceId, conversation: summary }));
}
