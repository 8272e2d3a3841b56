/**
 * What admins do to a WhatsApp Web inbox's session: restart it (a logged-out inbox then shows a
 * new QR), log it out, or link it by pairing code instead of a QR.
 */
import { DomainError, notFound } from "../errors.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";

/**
 * The inboxes' sessions, as the use cases need them (whatsapp-web/session-commands.ts): each
 * command runs on the node that holds the session, wherever it was asked.
 */
export interface InboxSessionControl {
  /** One ownership round: takes sessions no node runs. */
  round(): Promise<unknown>;
  /** The engine of a session running on this node, or null. */
  engineFor(inboxId: string): unknown;
  /** Restarts the session (a logged-out one shows a new QR); on another node, asked of it. */
  restart(inboxId: string): Promise<void>;
  /** Unlinks the device; on another node, asked of it. */
  logout(inboxId: string): Promise<void>;
  /** Throws `inboxes.not_connected` when the owning node gives no code in time. */
  requestPairingCode(inboxId: string, phoneNumber: string): Promise<string>;
  /** Deletes the inbox's job queue (the inbox is gone). */
  deleteQueue(inboxId: string): Promise<void>;
}

export interface InboxSessionDependencies {
  store: Store;
  /** Absent when this node runs no WhatsApp Web sessions: every call answers `inboxes.not_connected`. */
  sessions: InboxSessionControl | undefined;
}

/**
 * The workspace's WhatsApp Web inbox, for an admin. Throws `auth.forbidden` (403),
 * `inboxes.not_found` (404, also for another workspace's inbox), `inboxes.wrong_provider` (400)
 * for another kind of inbox, `inboxes.not_connected` (409) when this node runs no sessions.
 */
async function whatsappWebInbox(
  deps: InboxSessionDependencies,
  membership: Membership,
  inboxId: string,
): Promise<{ inbox: Inbox; sessions: InboxSessionControl }> {
  requirePermission(membership, "inboxes.manage");
  const inbox = await deps.store.inboxes.findById(membership.workspace.id, inboxId);
  if (!inbox) throw notFound("inboxes");
  if (inbox.provider !== "whatsapp_web")
    throw new DomainError("inboxes.wrong_provider", "Only WhatsApp Web inboxes have a session to restart, log out or pair.");
  if (!deps.sessions) throw new DomainError("inboxes.not_connected", "This server runs no WhatsApp Web sessions.");
  return { inbox, sessions: deps.sessions };
}

/** Restarts the session (after a logout: a new QR). */
export async function restartInboxSession(deps: InboxSessionDependencies, membership: Membership, inboxId: string): Promise<void> {
  const { sessions } = await whatsappWebInbox(deps, membership, inboxId);
  await sessions.restart(inboxId);
}

/** Unlinks the device from the phone and forgets its credentials. */
export async function logoutInboxSession(deps: InboxSessionDependencies, membership: Membership, inboxId: string): Promise<void> {
  const { sessions } = await whatsappWebInbox(deps, membership, inboxId);
  await sessions.logout(inboxId);
}

/** The 8-character code to enter on the phone (WhatsApp → Linked devices → Link with phone number). */
export async function requestInboxPairingCode(deps: InboxSessionDependencies, membership: Membership, inboxId: string, phoneNumber: string): Promise<string> {
  const { inbox, sessions } = await whatsappWebInbox(deps, membership, inboxId);
  if (inbox.status !== "qr_ready") throw new DomainError("inboxes.not_connected", "A pairing code can be asked for only while the inbox waits to be linked.");
  return sessions.requestPairingCode(inboxId, phoneNumber);
}

/**
 * Deletes an inbox (owners and admins) with its conversations and messages. A linked WhatsApp
 * Web session is logged out first (on whichever node runs it), so the phone's "Linked devices"
 * forgets it; its node stops it at its next lease renewal (the lease row is gone).
 * Throws `auth.forbidden` (403), `inboxes.not_found` (404, also for another workspace's inbox).
 */
export async function deleteInbox(deps: InboxSessionDependencies, membership: Membership, inboxId: string): Promise<void> {
  requirePermission(membership, "inboxes.manage");
  const inbox = await deps.store.inboxes.findById(membership.workspace.id, inboxId);
  if (!inbox) throw notFound("inboxes");
  const sessions = inbox.provider === "whatsapp_web" ? deps.sessions : undefined;
  // Best effort: a session that cannot be logged out (offline phone, dead node) is dropped anyway.
  if (sessions && (inbox.status === "ready" || inbox.status === "authenticated")) await sessions.logout(inboxId).catch(() => {});
  await deps.store.inboxes.delete(membership.workspace.id, inboxId);
  await sessions?.deleteQueue(inboxId).catch(() => {});
}

export function inboxSessionUseCases(deps: InboxSessionDependencies) {
  return {
    restart: (membership: Membership, inboxId: string) => restartInboxSession(deps, membership, inboxId),
    logout: (membership: Membership, inboxId: string) => logoutInboxSession(deps, membership, inboxId),
    pairingCode: (membership: Membership, inboxId: string, phoneNumber: string) => requestInboxPairingCode(deps, membership, inboxId, phoneNumber),
    delete: (membership: Membership, inboxId: string) => deleteInbox(deps, membership, inboxId),
  };
}
export type InboxSessionUseCases = ReturnType<typeof inboxSessionUseCases>;
