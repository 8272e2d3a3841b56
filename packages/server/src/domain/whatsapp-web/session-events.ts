/**
 * What a WhatsApp Web session's events do to Parley's data (ARCHITECTURE.md, "WhatsApp Web
 * login" and "Flows", inbound): the inbox's status, reason and QR, broadcast as `inbox.status`
 * and `inbox.qr`; customers' messages and the acks of Parley's own through the same inbound
 * pipeline as the Cloud API (`receiveInbound`).
 */
import type { DomainEvent } from "../events.ts";
import type { Inbox, InboxQr, InboxStatus } from "../inboxes/inbox.ts";
import { type InboundDependencies, receiveInbound, type InboundOutcome } from "../messages/receive-inbound.ts";
import type { InboundEvent } from "../providers/inbound.ts";
import type { EngineEvent, EngineMessage } from "./engine.ts";
import { isGroupJid, phoneOfJid, statusBroadcastJid } from "./jid.ts";

/** What session events need: the inbound pipeline's dependencies (receive-inbound.ts). */
export type SessionEventDependencies = InboundDependencies;

/** A session's new state; `qr` null clears the QR, absent leaves it. */
export interface SessionState {
  status: InboxStatus;
  reason: string | null;
  qr?: InboxQr | null;
  /** The linked account's number (E.164), once ready. */
  phoneNumber?: string | null;
}

/** Records an inbox's session state and broadcasts it (and the QR when there is a new one). Null when the inbox is gone. */
export async function recordSessionState(deps: SessionEventDependencies, inboxId: string, state: SessionState): Promise<Inbox | null> {
  const inbox = await deps.store.inboxes.updateSession(inboxId, {
    status: state.status,
    statusReason: state.reason,
    ...(state.qr === undefined ? {} : { qr: state.qr }),
    ...(state.phoneNumber === undefined ? {} : { phoneNumber: state.phoneNumber }),
  });
  if (!inbox) return null;
  const events: DomainEvent[] = [{ type: "inbox.status", workspaceId: inbox.workspaceId, inbox }];
  if (state.qr) events.push({ type: "inbox.qr", workspaceId: inbox.workspaceId, inboxId, qr: state.qr });
  await deps.events.publish(events);
  return inbox;
}

/**
 * Applies a session's message, ack, edit and delete events to the inbox: customers' messages in
 * private chats become inbound messages (contact by the sender's number); messages the owner
 * wrote on the phone become outbound ones, already sent (the caller leaves out the echoes of
 * Parley's own sends); acks move Parley's messages forward through the state machine; edits and
 * deletes for everyone change the message in place; group messages land in the group's
 * conversation (sender: the participant's contact) and group changes update its subject and
 * members; media is fetched afterwards by the media.download job through the session.
 * Never throws for an event it does not apply.
 */
export async function receiveFromSession(
  deps: SessionEventDependencies,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  events: EngineEvent[],
): Promise<InboundOutcome> {
  const inbound: InboundEvent[] = [];
  let skipped = 0;
  for (const event of events) {
    const mapped =
      event.type === "message"
        ? inboundMessageOf(event.message)
        : event.type === "ack"
          ? inboundStatusOf(event)
          : event.type === "revoke" || event.type === "edit"
            ? { kind: "revision" as const, providerMessageId: event.messageId, body: event.type === "edit" ? event.body : null, at: event.at }
            : event.type === "group"
              ? { kind: "group" as const, jid: event.group.jid, subject: event.group.subject, participants: event.group.participants, at: deps.clock.now() }
              : null;
    if (mapped) inbound.push(mapped);
    else skipped += 1;
  }
  const outcome = inbound.length > 0 ? await receiveInbound(deps, inbox, inbound) : { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0 };
  return { ...outcome, ignored: outcome.ignored + skipped };
}

/**
 * A session's message as the inbound pipeline takes it, or null for the status feed and senders
 * without a number. `history`: imported history, by the initial sync or a history push (see `InboundMessage.history`).
 */
export function inboundMessageOf(message: EngineMessage, history = false): InboundEvent | null {
  if (message.chat === statusBroadcastJid) return null;
  const group = isGroupJid(message.chat) ? { jid: message.chat, subject: null } : undefined;
  // The owner's own private message belongs to the customer it went to; in a group, to the group.
  const phone = group ? (message.fromMe ? "" : phoneOfJid(message.sender)) : phoneOfJid(message.fromMe ? message.chat : message.sender);
  if (phone === null) return null;
  return {
    kind: "message",
    providerMessageId: message.id,
    from: { phone, name: message.senderName },
    sentAt: message.sentAt,
    type: message.type,
    body: message.body,
    // Fetched by the media.download job through this node's session, by message id (imported
    // history too: the engine looks the message up, `WhatsAppEngine.mediaOf`).
    media: message.media ? { providerMediaId: message.id, mime: message.media.mime, sha256: null, filename: message.media.filename } : null,
    location: message.location,
    contacts: message.contacts,
    replyToProviderMessageId: message.quotedId,
    interactiveReplyId: null,
    ...(message.fromMe ? { fromMe: true } : {}),
    ...(group ? { group } : {}),
    ...(history ? { history: true } : {}),
  };
}

function inboundStatusOf(event: Extract<EngineEvent, { type: "ack" }>): InboundEvent | null {
  if (event.status === "pending") return null;
  return {
    kind: "status",
    providerMessageId: event.messageId,
    status: event.status,
    at: event.at,
    error: event.status === "failed" ? { code: null, reason: "WhatsApp did not deliver the message." } : null,
  };
}
