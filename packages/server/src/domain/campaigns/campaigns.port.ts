/** The campaigns repository port (implemented by store/repositories/campaigns.repository.ts). */
import type { Campaign, CampaignAudience, CampaignCounts, CampaignMessage, CampaignPacing, CampaignRecipient, CampaignStatus } from "./campaign.ts";
import type { NewMessage } from "../messages/messages.port.ts";
import type { RenderContact } from "./render.ts";
import type { CampaignRecipientStatus } from "@parley/protocol/values";

export interface NewCampaign {
  id: string;
  workspaceId: string;
  inboxId: string;
  name: string;
  message: CampaignMessage;
  audience: CampaignAudience;
  pacing: CampaignPacing;
  scheduleAt: Date | null;
  createdBy: string | null;
}

/** Fields of a draft or scheduled campaign to change (absent: unchanged). */
export interface CampaignChanges {
  name?: string;
  inboxId?: string;
  message?: CampaignMessage;
  audience?: CampaignAudience;
  pacing?: CampaignPacing;
  scheduleAt?: Date | null;
}

/** An audience as the store selects it: whose contacts, and whether they must have written to the inbox before. */
export interface AudienceQuery {
  workspaceId: string;
  inboxId: string;
  audience: CampaignAudience;
  /** WhatsApp Web without `include_never_wrote`: contacts with no message to the inbox are skipped `never_wrote`. */
  requireWritten: boolean;
}

/** A recipient claimed for sending, with what rendering its message needs. */
export interface ClaimedRecipient {
  id: string;
  contact: RenderContact;
  optedOut: boolean;
  blocked: boolean;
  /** The chat message a previous claim stored (a send repeated after a crash, or one put back in line). */
  messageId: string | null;
  /** Claims of this recipient so far, this one included. */
  attempts: number;
}

/**
 * What became of a claimed recipient: `sent` (with the provider's id), `failed` (with the reason
 * and code; `optOut` opts the contact out, source `provider`), `released` back to pending (not
 * before `notBefore`; `refund` takes this claim back off `attempts`, because the provider refused
 * before anything was sent), or `skipped` with a reason.
 */
export type RecipientOutcome =
  | { id: string; messageId: string | null; kind: "sent"; providerMessageId: string | null }
  | { id: string; messageId: string | null; kind: "failed"; reason: string; code: string | null; optOut: boolean }
  | { id: string; messageId: string | null; kind: "released"; notBefore: Date | null; refund: boolean }
  | { id: string; messageId: string | null; kind: "skipped"; reason: string };

/** A campaign whose recipients' counts changed. */
export interface TouchedCampaign {
  workspaceId: string;
  campaignId: string;
}

/**
 * An inbox's daily room (daily-room.ts): the exact count of the contacts its campaigns reached,
 * and the stored upper bound of it that lets most claims skip that count (schema/campaigns.ts,
 * `campaign_daily_reach`).
 */
export interface DailyReachRepository {
  /**
   * Unique contacts the inbox's campaigns reached since `since` or are sending to right now
   * (claimed since `inFlightSince`, outcome not yet written; an older claim is one a dead
   * dispatcher left): the daily cap's count; and the earliest send among them.
   */
  reachedSince(inboxId: string, since: Date, inFlightSince?: Date): Promise<{ contacts: number; earliest: Date | null }>;
  /**
   * Inside a transaction: adds `places` to the inbox's stored bound when the bound stays within
   * `dailyCap`, and holds its row until commit. False when it would not, or when nothing is
   * stored yet: the caller then locks and recounts.
   */
  reserveDailyRoom(inboxId: string, places: number, dailyCap: number): Promise<boolean>;
  /**
   * Inside a transaction: locks the inbox's stored bound (its row, created if missing) until
   * commit, so campaigns of one inbox recount its room and claim within it one after the other,
   * and no reservation lands between a recount and its store.
   */
  lockDailyRoom(inboxId: string): Promise<void>;
  /** Inside the transaction holding the lock: stores an exact count, `contacts` at `at`, with `claims` places taken since. */
  storeDailyReach(inboxId: string, reach: { contacts: number; claims: number; at: Date }): Promise<void>;
  /** Inside the transaction that reserved them: gives back `places` reserved but not claimed. */
  releaseDailyRoom(inboxId: string, places: number): Promise<void>;
}

/** A campaign's status, waiting state and counts (a `campaign.progress` event's content). */
export interface CampaignProgress {
  status: CampaignStatus;
  waiting: { until: Date; reason: string } | null;
  counts: CampaignCounts;
}

export interface CampaignRepository extends DailyReachRepository {
  create(input: NewCampaign): Promise<Campaign>;
  findById(workspaceId: string, id: string): Promise<Campaign | null>;
  /** Any workspace's campaign: only for callers holding its id from a trusted source (a job payload). */
  findAnyById(id: string): Promise<Campaign | null>;
  /** Newest first; `beforeId` is the keyset cursor. */
  list(workspaceId: string, options: { limit: number; beforeId?: string }): Promise<Campaign[]>;
  /** Applies `changes` when the campaign's status is one of `statuses`; null otherwise (or when there is none). */
  update(workspaceId: string, id: string, changes: CampaignChanges, statuses: readonly CampaignStatus[]): Promise<Campaign | null>;
  /** Deletes the campaign when its status is one of `statuses`. */
  delete(workspaceId: string, id: string, statuses: readonly CampaignStatus[]): Promise<boolean>;
  /**
   * Moves the campaign to `to` when its status is one of `from` (a conditional UPDATE, so two
   * racing commands cannot both win), stamping started_at / completed_at / cancelled_at and
   * clearing the waiting state. Null when it was not in `from`.
   */
  changeStatus(workspaceId: string, id: string, change: { from: readonly CampaignStatus[]; to: CampaignStatus; at: Date }): Promise<Campaign | null>;
  /** Counts of each campaign by id (one GROUP BY); campaigns with no recipients are absent. */
  counts(campaignIds: string[]): Promise<Map<string, CampaignCounts>>;
  /**
   * What a `campaign.progress` event carries, in one read: the status, why it waits (null when it
   * does not), and the counts. Null when the workspace has no such campaign or it has no
   * recipients yet.
   */
  progress(workspaceId: string, id: string): Promise<CampaignProgress | null>;
  /** Failed recipients by reason. */
  failedByReason(campaignId: string): Promise<Record<string, number>>;
  /**
   * Inserts one recipient per contact of the audience, in one INSERT … SELECT … ON CONFLICT DO
   * NOTHING: `pending`, or `skipped` with its reason (`opted_out`, `blocked`, `no_phone`,
   * `never_wrote`). Returns how many rows were inserted (0 when they exist already).
   */
  materialise(campaign: Pick<Campaign, "id" | "workspaceId" | "inboxId">, audience: AudienceQuery, at: Date): Promise<number>;
  /** The audience's contacts by skip reason (null: eligible), in one GROUP BY. */
  audienceByReason(audience: AudienceQuery): Promise<Map<string | null, number>>;
  /** The eligible contacts of an audience, for rendering checks (preview), at most `limit`. */
  eligibleContacts(audience: AudienceQuery, limit: number): Promise<RenderContact[]>;
  /** One contact's fields for rendering, or null when the workspace has no such contact. */
  renderContact(workspaceId: string, contactId: string): Promise<RenderContact | null>;
  /**
   * Pending recipients not claimed by a dispatcher → skipped with `reason`; their stored, unsent
   * chat messages are deleted. Claimed ones are the dispatcher's to record (sent, or put back and
   * skipped by it). Returns how many.
   */
  skipPending(campaignId: string, reason: string, at: Date): Promise<number>;
  /** Failed recipients back to pending, except those whose error code is in `exceptCodes` or whose contact opted out. Returns how many. */
  retryFailed(campaignId: string, exceptCodes: readonly string[], at: Date): Promise<number>;
  /** A page of recipients ordered by id, after `afterId`, optionally of one status. */
  recipients(
    workspaceId: string,
    campaignId: string,
    options: { status?: CampaignRecipientStatus; afterId?: string; limit: number },
  ): Promise<CampaignRecipient[]>;

  /**
   * Takes the campaign's dispatch lease until `until` when it is running and the lease is free
   * or expired at `now` (a conditional UPDATE: one dispatcher at a time). Null when not taken.
   */
  takeLease(id: string, until: Date, now: Date): Promise<Campaign | null>;
  /** Extends a held lease; returns the campaign's status now (null when it is gone). */
  renewLease(id: string, until: Date): Promise<CampaignStatus | null>;
  /** Frees the lease. */
  releaseLease(id: string): Promise<void>;
  /** When the lease of a running campaign ends, or null when nobody holds it. */
  leaseUntil(id: string): Promise<Date | null>;
  /**
   * Recipients a dead dispatcher left claimed: those claimed twice already fail with reason
   * `interrupted` (their send may have gone out twice); the others stay claimed and are sent
   * once more by the next `claim`. Returns how many failed.
   */
  failInterrupted(id: string, at: Date): Promise<number>;
  /**
   * Claims up to `limit` pending recipients due at `now` (claimed_at = now, attempts + 1),
   * committed before any send: unclaimed ones, and those a dead dispatcher claimed before
   * `orphanedBefore` (when this dispatcher took the lease), never one this dispatcher holds.
   */
  claim(id: string, limit: number, now: Date, orphanedBefore: Date): Promise<ClaimedRecipient[]>;
  /**
   * The contacts' conversations in the inbox, created where missing with status `resolved` and
   * last_message_at the contact's creation time, so a campaign neither opens a chat nor moves it
   * to the top of agents' lists. `ids` are the ids new conversations get, by contact id; the
   * answer is keyed by contact id.
   */
  ensureConversations(workspaceId: string, inboxId: string, ids: Map<string, string>): Promise<Map<string, string>>;
  /**
   * Stores the chat messages of claimed recipients and points each recipient at its message, in
   * one statement. A message already there (the same conversation and campaign: stored by an
   * earlier claim whose link was lost) is not stored again and its recipient is not pointed.
   */
  storeClaimedMessages(claimed: Array<{ recipientId: string; message: NewMessage }>): Promise<void>;
  /**
   * Records what became of claimed recipients (see RecipientOutcome) in one atomic statement, so
   * it needs no transaction around it: the recipient rows (only while still pending), their chat
   * messages (sent with the provider's id, or failed with the reason), and the opt-out of
   * contacts that refused (131050).
   */
  record(outcomes: RecipientOutcome[], at: Date): Promise<void>;
  /** Whether any recipient is still pending, and the earliest `not_before` among pending ones (null: some are due now). */
  pendingState(id: string): Promise<{ pending: number; nextDueAt: Date | null }>;
  /** Completes a running campaign with no pending recipient left. Null when it was not (still pending, or not running). */
  complete(id: string, at: Date): Promise<Campaign | null>;
  /** Marks a running campaign held back until `until` for `reason`, or clears it (null). */
  setWaiting(id: string, waiting: { until: Date; reason: string } | null): Promise<void>;
  /** The running campaigns of one inbox, or with no `inboxId` of every workspace (the start-up re-kick). */
  listRunning(inboxId?: string): Promise<Array<Pick<Campaign, "id" | "workspaceId" | "inboxId">>>;

  /**
   * Moves the recipients of these chat messages forward to their messages' statuses (pending <
   * sent < delivered < read, `failed` from pending or sent; never back). Returns the campaigns touched.
   */
  followMessages(messageIds: string[]): Promise<TouchedCampaign[]>;
  /** Marks `replied_at` on the contacts' recipients sent since `since` (not yet replied). Returns the campaigns touched. */
  markReplied(workspaceId: string, contactIds: string[], since: Date, at: Date): Promise<TouchedCampaign[]>;
  /** Opts out the contacts of these chat messages (source `provider`, Meta's 131050) and flags their recipients. */
  optOutByMessages(messageIds: string[], at: Date): Promise<TouchedCampaign[]>;
}
