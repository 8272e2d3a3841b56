/**
 * How whatsapp-web.js' own words read in the engine port: disconnect reasons, group notification
 * types, and which chat a message belongs to (Client.js, index.d.ts v1.34).
 */
import type { DisconnectReason, EngineEvent } from "../../../domain/whatsapp-web/engine.ts";
import type { WhatsappWebJsMessage } from "./client.ts";
import { parleyJidOf } from "./message.ts";

/** The chat of a message in Parley's form: the recipient for one's own, else the sender's chat. */
export function chatOfMessage(message: WhatsappWebJsMessage): string | null {
  return parleyJidOf(message.fromMe ? message.to : message.from);
}

/**
 * Why whatsapp-web.js disconnected (Client.js): `LOGOUT` when unlinked from the phone, a WAState
 * the library does not accept (`UNPAIRED` and `UNPAIRED_IDLE` are unlinked too, `CONFLICT` is the
 * account opened elsewhere), or `Max qrcode retries reached`.
 */
export function disconnectReasonOf(reason: string): DisconnectReason {
  if (reason === "LOGOUT" || reason === "UNPAIRED" || reason === "UNPAIRED_IDLE") return "logged_out";
  if (reason === "CONFLICT") return "replaced";
  return "connection_lost";
}

/** The port's group change of a notification; null for changes Parley does not follow (description, picture...). */
export function groupChangeOf(kind: "join" | "leave" | "admin" | "update", type: string): Extract<EngineEvent, { type: "group" }>["change"] | null {
  if (kind === "join") return "joined";
  if (kind === "leave") return "left";
  if (kind === "admin") return type === "demote" ? "demoted" : "promoted";
  if (type === "create") return "created";
  if (type === "subject") return "subject";
  return null;
}
