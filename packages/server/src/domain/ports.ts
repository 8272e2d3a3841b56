import type { Locale } from "@parley/protocol/values";
/**
 * The storage ports the use cases need. `store/` implements them with Drizzle on PGlite or
 * node-postgres; one contract suite (store/repositories.contract.test.ts) runs against both.
 * Every workspace-owned read takes the workspace id first: tenancy is enforced here, not by
 * callers remembering a WHERE clause.
 */
import type { IntentClassifierRepository } from "./intelligence/classifier.port.ts";
import type { CampaignRepository } from "./campaigns/campaigns.port.ts";
import type { ContextRepository } from "./context/context.port.ts";
import type { KnowledgeRepository } from "./knowledge/knowledge.port.ts";
import type { SuggestionRetrieval } from "./suggestions/retrieval.port.ts";
import type { AiSettingsRepository } from "./suggestions/ai-settings.ts";
import type { OptOutSource } from "@parley/protocol/values";
import type { Contact } from "./contacts/contact.ts";
import type { Conversation, ConversationStatus, ConversationSummary } from "./conversations/conversation.ts";
import type { GroupParticipant } from "./conversations/group-participants.ts";
import type { Inbox, InboxProvider, InboxQr, InboxStatus, InboxSync, MessagingLimit, WidgetSettings } from "./inboxes/inbox.ts";
import type { ConversationExportRepository } from "./exports/exports.port.ts";
import type { JobScheduler } from "./jobs.ts";
import type { Message, MessageMedia } from "./messages/message.ts";
import type { ProviderRecipient } from "./providers/provider.ts";
import type { Role } from "./tenancy/roles.ts";
import type { Membership, User, Workspace } from "./tenancy/tenancy.ts";
import type { MessageRepository } from "./messages/messages.port.ts";
import type { MessageEnrichmentRepository } from "./intelligence/enrichment.port.ts";
import type { WebhookDeliveryRepository } from "./webhooks/webhook-deliveries.port.ts";
import type { SessionCredentialRepository, SessionLeaseRepository } from "./whatsapp-web/sessions.port.ts";

export type { MessagePage, MessageRepository, NewMessage, ProviderStatusChange, StatusAdvance } from "./messages/messages.port.ts";
export type { WaitingWebhookDelivery, WebhookDeliveryRepository } from "./webhooks/webhook-deliveries.port.ts";
export type { SessionCredentialRepository, SessionLease, SessionLeaseRepository } from "./whatsapp-web/sessions.port.ts";

export interface WorkspaceRepository {
  create(input: { id: string; name: string; slug: string }): Promise<Workspace>;
  findById(id: string): Promise<Workspace | null>;
  /**
   * Locks the workspace row until the transaction ends (SELECT … FOR UPDATE), so changes that
   * check a workspace-wide rule first (at least one owner, the inbox limit) run one after
   * another. Returns false when the workspace does not exist. Only meaningful in a transaction.
   */
  lockForUpdate(id: string): Promise<boolean>;
  /** Slugs among `candidates` that are taken already. */
  takenSlugs(candidates: string[]): Promise<Set<string>>;
  /** The workspace's `settings` object as stored (workspace-settings.ts reads it), or null when there is no such workspace. */
  findSettings(id: string): Promise<Record<string, unknown> | null>;
  /** Sets these top-level keys of `settings`, keeping the others; returns the whole object, or null when there is no such workspace. */
  mergeSettings(id: string, settings: Record<string, unknown>): Promise<Record<string, unknown> | null>;
}

export interface UserRepository {
  /** Throws DomainError `users.email_taken` when the e-mail exists. */
  /** `locale` defaults to English. */
  create(input: { id: string; name: string; email: string; passwordHash: string; locale?: Locale }): Promise<User>;
  findByEmailWithHash(email: string): Promise<{ user: User; passwordHash: string } | null>;
  findById(id: string): Promise<User | null>;
  /** Sets the user's language. Throws `users.not_found`. */
  setLocale(id: string, locale: Locale): Promise<User>;
}

export interface MemberRepository {
  /** Throws DomainError `members.already_member`. */
  add(input: { workspaceId: string; userId: string; role: Role }): Promise<void>;
  find(workspaceId: string, userId: string): Promise<Membership | null>;
  listForUser(userId: string): Promise<Membership[]>;
  listForWorkspace(workspaceId: string): Promise<Membership[]>;
  /** Returns false when the user is not a member. */
  changeRole(workspaceId: string, userId: string, role: Role): Promise<boolean>;
  /** Returns false when the user is not a member. */
  remove(workspaceId: string, userId: string): Promise<boolean>;
  countWithRole(workspaceId: string, role: Role): Promise<number>;
}

export interface TokenRepository {
  create(input: { id: string; userId: string; name: string; tokenHash: string; expiresAt: Date | null }): Promise<void>;
  /** The user behind an unrevoked, unexpired token hash; updates last_used_at at most once a minute. */
  findUserByHash(tokenHash: string, now: Date): Promise<{ tokenId: string; user: User } | null>;
  /** Like findUserByHash, plus the user's membership of `workspaceId` (null when none). */
  findMembershipByHash(tokenHash: string, workspaceId: string, now: Date): Promise<{ tokenId: string; user: User; membership: Membership | null } | null>;
  /** Returns false when no such live token of that user exists. */
  revoke(userId: string, tokenId: string, now: Date): Promise<boolean>;
  /** The user's live tokens, newest first (never their secrets). */
  listLive(userId: string, now: Date): Promise<ApiTokenInfo[]>;
}

/** What a user sees of one of their tokens. */
export interface ApiTokenInfo {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
}

/** What `InboxRepository.update` may change; absent fields stay as they are. */
export interface InboxChanges {
  name?: string;
  isPrimary?: boolean;
  /** A Cloud API inbox's messaging limit, kept in its config (`messaging_limit`). */
  messagingLimit?: MessagingLimit;
}

export interface InboxRepository {
  create(input: {
    id: string;
    workspaceId: string;
    provider: InboxProvider;
    name: string;
    status: Inbox["status"];
    widgetKey: string | null;
    widget: WidgetSettings | null;
    /** Provider settings, secrets already sealed (see inboxes.usecases.ts). */
    config?: Record<string, unknown>;
    phoneNumber?: string | null;
  }): Promise<Inbox>;
  /**
   * Any workspace's inbox with its stored config (secrets still sealed). Only for callers that
   * hold the inbox id from a trusted source (a signed webhook URL, a job payload).
   */
  /** Its `inbox.unreadCount` is 0: senders and webhooks read this on every message, without the sum. */
  findWithConfig(id: string): Promise<{ inbox: Inbox; config: Record<string, unknown> } | null>;
  findById(workspaceId: string, id: string): Promise<Inbox | null>;
  findByWidgetKey(widgetKey: string): Promise<Inbox | null>;
  /** The instance's oldest website widget inbox (the demo page's default). */
  findFirstWidget(): Promise<Inbox | null>;
  list(workspaceId: string): Promise<Inbox[]>;
  count(workspaceId: string): Promise<number>;
  /**
   * Records a WhatsApp Web session's state: status and reason always; the QR (null clears it)
   * and the linked phone number when given. Returns the inbox, or null when it is gone.
   */
  updateSession(
    inboxId: string,
    change: { status: InboxStatus; statusReason: string | null; qr?: InboxQr | null; phoneNumber?: string | null },
  ): Promise<Inbox | null>;
  /**
   * Renames an inbox and/or makes it primary (clearing the primary flag of the workspace's other
   * inboxes of its provider) or not, and/or sets its messaging limit. Null when the workspace has
   * no such inbox.
   */
  update(workspaceId: string, id: string, changes: InboxChanges): Promise<Inbox | null>;
  /** Deletes a workspace's inbox with its conversations, messages and sessions (cascade). False when there is none. */
  delete(workspaceId: string, id: string): Promise<boolean>;
  /** Records a WhatsApp Web inbox's sync progress. Returns the inbox, or null when it is gone. */
  updateSync(inboxId: string, sync: InboxSync): Promise<Inbox | null>;
}

/** A phone contact to find or create: `id` is used only if it is created. */
export interface PhoneContactDraft {
  id: string;
  /** E.164. */
  phone: string;
  candidates: string[];
  name: string | null;
}

/** Which contacts a list or export shows. */
export interface ContactFilter {
  /** Matches name, e-mail or phone (prefix and full-text). */
  q?: string;
  /** Only contacts carrying every one of these labels. */
  labels?: string[];
  /** true: only opted-out contacts; false: only those who did not opt out. */
  optedOut?: boolean;
}

/** The fields of a contact an agent or an import writes. */
export interface ContactDraft {
  /** E.164. */
  phone: string;
  name: string | null;
  email: string | null;
  labels: string[];
  customAttributes: Record<string, string>;
}

/** One row of a CSV import (see `ContactRepository.importMany`): null fields leave the stored value. */
export interface ContactImportEntry {
  id: string;
  /** E.164. */
  phone: string;
  name: string | null;
  email: string | null;
  labels: string[];
  customAttributes: Record<string, string>;
  /** An opt-out recorded in the file, or null. */
  optedOutAt: Date | null;
}

export interface ContactRepository {
  /** Creates the visitor contact, or returns the existing one with the same visitor id. */
  upsertVisitor(input: { id: string; workspaceId: string; visitorId: string; name: string | null; email: string | null }): Promise<Contact>;
  findById(workspaceId: string, id: string): Promise<Contact | null>;
  /** Newest first (by id); see ContactFilter. */
  search(workspaceId: string, options: ContactFilter & { limit: number; beforeId?: string }): Promise<Contact[]>;
  /** The custom attribute names used by the filter's contacts, sorted (the export's extra columns). */
  customAttributeNames(workspaceId: string, filter: ContactFilter): Promise<string[]>;
  /** Throws `contacts.phone_taken` when the workspace has a contact with that phone. */
  insert(input: ContactDraft & { id: string; workspaceId: string; phone: string }): Promise<Contact>;
  /**
   * Changes the given fields (`customAttributes` replaces them all). Null when the workspace has
   * no such contact; throws `contacts.phone_taken` for another contact's phone.
   */
  update(workspaceId: string, id: string, changes: Partial<ContactDraft>): Promise<Contact | null>;
  /**
   * Opts a contact out of campaigns (`optOut` set) or back in (null). `changed` is false when it
   * already was in that state (the first opt-out's time and source are kept). Null when the
   * workspace has no such contact.
   */
  setOptOut(workspaceId: string, id: string, optOut: { at: Date; source: OptOutSource } | null): Promise<{ contact: Contact; changed: boolean } | null>;
  /** Stamps `opted_out_at` on the contact's campaign recipients sent at or after `sentSince` (not stamped yet); returns how many. */
  stampCampaignOptOut(workspaceId: string, contactId: string, at: Date, sentSince: Date): Promise<number>;
  /**
   * Creates or updates contacts by exact phone, in a few statements per 1,000 rows: a new phone is
   * inserted; an existing contact gets the row's name and e-mail when given, its labels merged
   * (kept in order, new ones appended), its custom attributes merged (the row's win), and an
   * opt-out only if it had none. Entries must have distinct phones. Returns how many were created
   * and updated.
   */
  importMany(workspaceId: string, entries: ContactImportEntry[]): Promise<{ created: number; updated: number }>;
  touchLastSeen(workspaceId: string, id: string, at: Date): Promise<void>;
  /**
   * Race-safe get-or-create of the contacts with these phone numbers, in a handful of statements
   * however many there are, keyed by each entry's `phone`. `candidates` are every stored form
   * that counts as the same person (e.g. a Brazilian mobile with and without its 9th digit): the
   * oldest contact under any of them is returned (its name filled in when it had none), else one
   * is created with `phone` (entries that are forms of one another share one new contact).
   */
  upsertManyByPhone(workspaceId: string, entries: PhoneContactDraft[]): Promise<Map<string, Contact>>;
  /** The workspace's contacts stored under any of these E.164 numbers, oldest first. */
  findByPhones(workspaceId: string, phones: string[]): Promise<Contact[]>;
}

export interface ConversationListOptions {
  limit: number;
  /** Keyset cursor: rows strictly after this (last_message_at, id) in newest-first order. */
  after?: { lastMessageAt: Date | null; id: string };
  inboxId?: string;
  status?: ConversationStatus;
  /** A user id, or null for unassigned. */
  assigneeId?: string | null;
  updatedAfter?: Date;
  /** Text matched against the contact (name, e-mail, phone) and the messages (full-text). */
  q?: string;
  /** Only conversations carrying every one of these labels. */
  labels?: string[];
}

export interface ConversationRepository {
  /** Race-safe get-or-create of the (inbox, contact) conversation. */
  getOrCreatePrivate(input: { id: string; workspaceId: string; inboxId: string; contactId: string }): Promise<{ conversation: Conversation; created: boolean }>;
  /**
   * `getOrCreatePrivate` for many contacts of one inbox in two statements, keyed by contact id.
   * `ids` are the ids new conversations get, by contact id.
   */
  getOrCreatePrivateMany(input: {
    workspaceId: string;
    inboxId: string;
    ids: Map<string, string>;
  }): Promise<Map<string, { conversation: Conversation; created: boolean }>>;
  /**
   * Race-safe get-or-create of an inbox's group conversations by group JID, in one statement;
   * a subject given replaces the stored one. `groups` maps each JID to the id a new conversation
   * gets and its subject (null: unknown yet). Keyed by JID.
   */
  getOrCreateGroupMany(input: {
    workspaceId: string;
    inboxId: string;
    groups: Map<string, { id: string; subject: string | null }>;
  }): Promise<Map<string, { conversation: Conversation; created: boolean }>>;
  /**
   * Makes a group conversation's members exactly `participants` (joined_at kept for those who
   * stay, `at` for newcomers) and moves the conversation's updated_at, so a catch-up by
   * `updatedAfter` sees the change.
   */
  replaceGroupParticipants(workspaceId: string, conversationId: string, participants: Array<{ jid: string; isAdmin: boolean }>, at: Date): Promise<void>;
  /** A group conversation's members, in no set order (none for another workspace's conversation). */
  listGroupParticipants(workspaceId: string, conversationId: string): Promise<GroupParticipant[]>;
  findById(workspaceId: string, id: string): Promise<Conversation | null>;
  /**
   * Like findById, with the row locked until the transaction ends (SELECT … FOR UPDATE): what
   * it returns stays true while the caller changes the conversation and builds its events.
   */
  findForUpdate(workspaceId: string, id: string): Promise<Conversation | null>;
  /**
   * The workspace a conversation belongs to. Only for routing events on channels whose access
   * was already authorised (a visitor channel names a conversation, not a workspace).
   */
  workspaceOf(conversationId: string): Promise<string | null>;
  findSummary(workspaceId: string, id: string): Promise<ConversationSummary | null>;
  /** Who a conversation's messages go to (its contact's phone, or its group), in one light read. */
  findRecipient(workspaceId: string, id: string): Promise<ProviderRecipient | null>;
  /** The summaries of these conversations of the workspace (others' ids are left out), in no set order. */
  findSummaries(workspaceId: string, ids: string[]): Promise<ConversationSummary[]>;
  list(workspaceId: string, options: ConversationListOptions): Promise<ConversationSummary[]>;
  /**
   * Records new messages on their conversations in one statement: last_message_* points at the
   * newest (a late, older message never replaces a newer preview), unread_count grows by the
   * increments, last_inbound_at moves forward to `inboundAt` (never back: deliveries arrive out
   * of order), and a resolved conversation with a `reopen` record is open again. Several
   * records for one conversation are combined.
   */
  recordMessages(records: MessageRecord[]): Promise<void>;
  resetUnread(workspaceId: string, id: string): Promise<Conversation | null>;
  update(workspaceId: string, id: string, changes: { status?: ConversationStatus; assigneeId?: string | null }): Promise<Conversation | null>;
}

/** One new message, as `ConversationRepository.recordMessages` applies it to its conversation. */
export interface MessageRecord {
  conversationId: string;
  message: Pick<Message, "id" | "createdAt">;
  unreadIncrement: number;
  /** When the customer wrote it (inbound messages only): opens the customer-service window. */
  inboundAt?: Date;
  /** The customer wrote again: a resolved conversation opens. */
  reopen?: boolean;
}

export interface WidgetSession {
  id: string;
  workspaceId: string;
  inboxId: string;
  contactId: string;
  conversationId: string;
  expiresAt: Date;
}

export interface WidgetSessionRepository {
  create(input: WidgetSession & { tokenHash: string }): Promise<void>;
  /** The live (unrevoked, unexpired) session with that token hash. */
  findLiveByHash(tokenHash: string, now: Date): Promise<WidgetSession | null>;
}

export interface MediaRepository {
  create(input: MessageMedia & { workspaceId: string; storageKey: string; sha256: string }): Promise<void>;
  /** Any workspace's attachment by id: callers must check the access key (capability URLs). */
  findById(id: string): Promise<(MessageMedia & { workspaceId: string; storageKey: string; sha256: string }) | null>;
}

/** Every repository, bound to one connection or transaction. */
export interface Repositories {
  workspaces: WorkspaceRepository;
  users: UserRepository;
  members: MemberRepository;
  tokens: TokenRepository;
  inboxes: InboxRepository;
  contacts: ContactRepository;
  conversations: ConversationRepository;
  messages: MessageRepository;
  /** Messages' enrichment (issue 9): the job's reads and writes, agents' corrections. */
  enrichment: MessageEnrichmentRepository;
  /** Each workspace's intent classifier, trained on its agents' corrections. */
  intentClassifiers: IntentClassifierRepository;
  widgetSessions: WidgetSessionRepository;
  media: MediaRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  sessionLeases: SessionLeaseRepository;
  sessionCredentials: SessionCredentialRepository;
  /** Conversations read page by page for the dataset export. */
  conversationExports: ConversationExportRepository;
  /** Canned responses, labels and knowledge-base articles. */
  knowledge: KnowledgeRepository;
  /** Reads behind the conversation context. */
  context: ContextRepository;
  /** Full-text retrieval for the offline suggestion engine. */
  suggestionRetrieval: SuggestionRetrieval;
  /** Each workspace's suggestion engine settings. */
  aiSettings: AiSettingsRepository;
  /** Campaigns, their recipients, and what sending them needs (issue 10). */
  campaigns: CampaignRepository;
  /** Durable jobs, scheduled in the same transaction as the rows they act on. */
  jobs: JobScheduler;
}

/** The repositories plus a way to run several writes atomically. */
export interface Store extends Repositories {
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (repositories: Repositories) => Promise<T>): Promise<T>;
}
