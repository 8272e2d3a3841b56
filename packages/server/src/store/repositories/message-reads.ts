import { eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Message } from "../../domain/messages/message.ts";
import type { Database } from "../database.ts";
import { contacts, inboxes, media, messages, users } from "../schema/index.ts";
import { toMessage } from "./mappers.ts";

const quoted = alias(messages, "quoted");

/**
 * The sender's display name: agents are users, customers are contacts (group participants
 * included), so sender_id holds a UUID for both; the CASE keeps the cast away from other rows.
 */
export function senderName(table: typeof messages | typeof quoted): SQL<string | null> {
  return sql<string | null>`case ${table.senderType}
    when 'agent' then (select ${users.name} from ${users} where ${users.id} = ${table.senderId}::uuid)
    when 'contact' then (select ${contacts.name} from ${contacts} where ${contacts.id} = ${table.senderId}::uuid)
  end`;
}

/** A contact sender's phone (group participants included): their WhatsApp JID derives from it. Null for others. */
export function senderPhone(table: typeof messages | typeof quoted): SQL<string | null> {
  return sql<string | null>`case ${table.senderType}
    when 'contact' then (select ${contacts.phone} from ${contacts} where ${contacts.id} = ${table.senderId}::uuid)
  end`;
}

/**
 * A select of messages with what a bubble shows: sender name and phone, attachment and quoted message.
 * Callers add WHERE / ORDER BY / LIMIT and map rows with `toEnrichedMessage`.
 */
export function selectEnrichedMessages(db: Database) {
  // Lateral, so the quote is one index lookup per message selected: a plain join let the
  // planner hash the whole messages table whenever its statistics were stale (right after an
  // import, and always on PGlite, which never analyzes), for every page or batch read.
  const quotedMessage = db
    .select({
      id: quoted.id,
      type: quoted.type,
      body: quoted.body,
      senderType: quoted.senderType,
      senderId: quoted.senderId,
      senderName: senderName(quoted).as("quoted_sender_name"),
      senderPhone: senderPhone(quoted).as("quoted_sender_phone"),
    })
    .from(quoted)
    .where(eq(quoted.id, messages.replyToId))
    .as("quoted_message");
  return db
    .select({
      message: messages,
      senderName: senderName(messages),
      senderPhone: senderPhone(messages),
      sentViaName: sql<string | null>`(select ${inboxes.name} from ${inboxes} where ${inboxes.id} = ${messages.sentViaInboxId})`,
      media: { id: media.id, mime: media.mime, sizeBytes: media.sizeBytes, filename: media.filename, accessKey: media.accessKey },
      quoted: {
        id: quotedMessage.id,
        type: quotedMessage.type,
        body: quotedMessage.body,
        senderType: quotedMessage.senderType,
        senderId: quotedMessage.senderId,
        senderName: quotedMessage.senderName,
        senderPhone: quotedMessage.senderPhone,
      },
    })
    .from(messages)
    .leftJoin(media, eq(media.id, messages.mediaId))
    .leftJoinLateral(quotedMessage, sql`true`)
    .$dynamic();
}

type EnrichedRow = Awaited<ReturnType<ReturnType<typeof selectEnrichedMessages>["execute"]>>[number];

export function toEnrichedMessage(row: EnrichedRow): Message {
  const media = row.media?.id
    ? { id: row.media.id, mime: row.media.mime!, sizeBytes: Number(row.media.sizeBytes), filename: row.media.filename ?? null, accessKey: row.media.accessKey! }
    : null;
  const quotedMessage = row.quoted?.id
    ? {
        id: row.quoted.id,
        type: row.quoted.type!,
        body: row.quoted.body ?? null,
        senderType: row.quoted.senderType!,
        senderId: row.quoted.senderId ?? null,
        senderName: row.quoted.senderName ?? null,
        senderPhone: row.quoted.senderPhone ?? null,
      }
    : null;
  const message = toMessage(row.message);
  const sentVia = message.sentVia ? { ...message.sentVia, name: row.sentViaName ?? null } : null;
  return { ...message, senderName: row.senderName ?? null, senderPhone: row.senderPhone ?? null, media, replyTo: quotedMessage, sentVia };
}
