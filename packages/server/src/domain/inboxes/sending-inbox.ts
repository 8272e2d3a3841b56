/**
 * Which inbox sends a reply (seed 001 DES-6, "provider selection and failover"; issue 7 part 8):
 * the conversation's own inbox when it is connected; otherwise the workspace's primary connected
 * inbox of the same kind; otherwise the connected one with the best health score. Pure: the
 * caller reads the inboxes and their recent send outcomes.
 */
import type { Inbox, InboxProvider, InboxStatus } from "./inbox.ts";

/**
 * Inbox kinds whose replies may go out through another inbox of the workspace. Only WhatsApp
 * Web: its sessions drop (phone offline, logged out) while the workspace's other numbers stay
 * linked. A Cloud API number has no session to lose, and its 24-hour windows and approved
 * templates belong to the number, so another number cannot stand in for it; the widget has one
 * visitor channel per conversation.
 */
export const failoverProviders: readonly InboxProvider[] = ["whatsapp_web"];

/** An inbox's outbound sends in the recent window (see `MessageRepository.sendOutcomes`). */
export interface SendOutcomes {
  succeeded: number;
  failed: number;
}

/** How long recent send outcomes count towards an inbox's health score, in ms (one hour). */
export const healthWindowMs = 60 * 60 * 1000;

const connectionScores: Record<InboxStatus, number> = {
  ready: 1,
  authenticated: 0.5,
  connecting: 0.3,
  qr_ready: 0,
  disconnected: 0,
  failed: 0,
};

/**
 * An inbox's health, 0..100: 60 points for its connection (ready 60, authenticated 30,
 * connecting 18, otherwise 0) and 40 for the share of its recent sends that went through. An
 * inbox with no recent sends gets 30 of those 40: trusted less than one with a clean record,
 * more than one whose sends fail.
 */
export function healthScore(status: InboxStatus, outcomes: SendOutcomes | undefined): number {
  const total = (outcomes?.succeeded ?? 0) + (outcomes?.failed ?? 0);
  const successShare = total === 0 ? 0.75 : (outcomes?.succeeded ?? 0) / total;
  return Math.round(60 * connectionScores[status] + 40 * successShare);
}

/** The inbox chosen for a reply; `failover` when it is not the conversation's own. */
export interface SendingInbox {
  inbox: Inbox;
  failover: boolean;
  /** Why it was chosen: its own inbox, the workspace's primary, or the best health score. */
  reason: "own" | "primary" | "health";
}

/**
 * Chooses the inbox that sends a reply in a conversation of `own`. `workspaceInboxes` are the
 * workspace's inboxes (`own` among them or not); `outcomes` their recent sends by inbox id.
 * Returns null when no inbox can send now (the caller retries later). A group conversation
 * never fails over (`allowFailover: false`): another number is not a member of the group.
 */
export function chooseSendingInbox(
  own: Inbox,
  workspaceInboxes: readonly Inbox[],
  outcomes: ReadonlyMap<string, SendOutcomes>,
  options: { allowFailover: boolean } = { allowFailover: true },
): SendingInbox | null {
  if (!failoverProviders.includes(own.provider) || own.status === "ready") return { inbox: own, failover: false, reason: "own" };
  if (!options.allowFailover) return null;
  const candidates = workspaceInboxes.filter(
    (inbox) => inbox.id !== own.id && inbox.workspaceId === own.workspaceId && inbox.provider === own.provider && inbox.status === "ready",
  );
  const primary = candidates.find((inbox) => inbox.isPrimary);
  if (primary) return { inbox: primary, failover: true, reason: "primary" };
  const ranked = candidates
    .map((inbox) => ({ inbox, score: healthScore(inbox.status, outcomes.get(inbox.id)) }))
    // Equal scores: the older inbox, so the choice is stable from one send to the next.
    .sort((a, b) => b.score - a.score || a.inbox.createdAt.getTime() - b.inbox.createdAt.getTime());
  const best = ranked[0];
  return best ? { inbox: best.inbox, failover: true, reason: "health" } : null;
}
