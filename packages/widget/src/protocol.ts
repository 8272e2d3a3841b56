/**
 * The slice of Parley's wire contract the widget uses. The shapes come from @parley/protocol
 * through `import type` only, so the bundle stays one dependency-free file (no zod); the event
 * names are literals checked against the protocol's at compile time.
 */
import type { ApiMedia, ApiMessage, clientTypingEvent, events, MessageStatusEventPayload, WidgetConfig, WidgetSession } from "@parley/protocol/api";

export type { MessageDirection as Direction, MessageStatus } from "@parley/protocol/api";
export type { WidgetConfig, WidgetSession };

/** An attachment: a message's `media`, or the answer of an upload (`size` in bytes). */
export type Media = ApiMedia;

/** A message as the server sends it (ids are UUIDv7, times ISO-8601). */
export type Message = ApiMessage;

/**
 * A visitor session as the widget holds it: the answer of `POST .../sessions` (201), or that of
 * `GET .../session` (a `WidgetSession` without the token) completed with the token it sent.
 */
export type Session = WidgetSession & { session_token: string };

/** Pre-chat details; both optional unless the site sets `data-require-name`. */
export interface Profile {
  name?: string;
  email?: string;
}

/** Data of the `message.status.updated` channel event. */
export type StatusUpdate = MessageStatusEventPayload;

/** Channel events published on `private-visitor.{conversation_id}`. */
export const EV_MESSAGE: (typeof events)["messageSent"] = "message.sent";
export const EV_STATUS: (typeof events)["messageStatusUpdated"] = "message.status.updated";
export const EV_TYPING: (typeof events)["typing"] = "typing";
export const EV_ASSIGNED: (typeof events)["conversationAssigned"] = "conversation.assigned";
/** The whisper the visitor's widget sends while typing. */
export const EV_CLIENT_TYPING: typeof clientTypingEvent = "client-typing";
