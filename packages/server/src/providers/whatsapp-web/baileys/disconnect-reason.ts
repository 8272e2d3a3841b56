/**
 * Baileys' `DisconnectReason` status codes (Types/index.ts, carried as
 * `lastDisconnect.error.output.statusCode` in `connection.update`) mapped to the engine port's
 * reasons. The library's examples reconnect on everything but `loggedOut`; Parley also treats
 * the codes that mean "this device is no longer linked" as a logout, so the manager shows a QR
 * instead of retrying stale credentials for ever.
 */
import { DisconnectReason as BaileysDisconnectReason } from "baileys";
import type { DisconnectReason } from "../../../domain/whatsapp-web/engine.ts";

/**
 * The reason for a close with this status code (undefined: the socket closed without an error).
 * 401 loggedOut, 403 forbidden (the account is banned) and 411 multideviceMismatch → `logged_out`;
 * 440 connectionReplaced → `replaced`; 515 restartRequired → `restart_required`; every other code
 * (408 connectionLost/timedOut, 428 connectionClosed, 500 badSession, 503 unavailableService,
 * unknown) → `connection_lost`, to be retried with back-off.
 */
export function disconnectReasonOf(statusCode: number | undefined): DisconnectReason {
  switch (statusCode) {
    case BaileysDisconnectReason.loggedOut:
    case BaileysDisconnectReason.forbidden:
    case BaileysDisconnectReason.multideviceMismatch:
      return "logged_out";
    case BaileysDisconnectReason.connectionReplaced:
      return "replaced";
    case BaileysDisconnectReason.restartRequired:
      return "restart_required";
    default:
      return "connection_lost";
  }
}

/** The status code of a `lastDisconnect.error` (a Boom from Baileys; anything else has none). */
export function statusCodeOf(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | null | undefined)?.output;
  return typeof output?.statusCode === "number" ? output.statusCode : undefined;
}
