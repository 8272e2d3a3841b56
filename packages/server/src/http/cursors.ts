import { DomainError } from "../domain/errors.ts";
import { isUuid } from "../domain/ids.ts";

/**
 * Opaque keyset cursors for the conversation list: base64url of `{"t": ISO time, "id": uuid}`.
 * Throws DomainError `request.invalid_cursor` (400, field "cursor") for anything else.
 */
export function encodeActivityCursor(position: { lastMessageAt: Date | null; id: string }): string {
  return Buffer.from(JSON.stringify({ t: position.lastMessageAt?.toISOString() ?? null, id: position.id })).toString("base64url");
}

export function decodeActivityCursor(cursor: string): { lastMessageAt: Date | null; id: string } {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { t?: unknown; id?: unknown };
    const at = typeof parsed.t === "string" ? new Date(parsed.t) : null;
    if (typeof parsed.id === "string" && isUuid(parsed.id) && (at === null || !Number.isNaN(at.getTime()))) {
      return { lastMessageAt: at, id: parsed.id };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError("request.invalid_cursor", "The cursor is not one this API gave out.", { field: "cursor" });
}
