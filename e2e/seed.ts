/**
 * Fast fixtures for the browser tests, written straight into a running Parley's database:
 * thousands of conversations, a 10,000-message thread, a thread with every tick state, media,
 * quotes, and a WhatsApp group. Ids are UUIDv7 from each message's own time, as the server makes.
 */
import { crc32, deflateSync } from "node:zlib";
import type { RunningParley } from "../packages/server/src/main.ts";
import { newId } from "../packages/server/src/domain/ids.ts";
import { contacts, conversations, inboxes, messages } from "../packages/server/src/store/schema/index.ts";
import { groupParticipants } from "../packages/server/src/store/schema/conversations.ts";

type MessageRow = typeof messages.$inferInsert;
type ConversationRow = typeof conversations.$inferInsert;

const minute = 60_000;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let index = 0; index < rows.length; index += size) await insert(rows.slice(index, index + size));
}

/** A small PNG (width×height, a soft blue gradient with a sofa-ish shape) for an image message. */
export function samplePng(width = 320, height = 200): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const offset = y * (width * 3 + 1) + 1 + x * 3;
      const sofa = y > 80 && y < 170 && x > 40 && x < 280 && !(y < 120 && x > 70 && x < 250);
      raw[offset] = sofa ? 40 : 200 + Math.round((x / width) * 40);
      raw[offset + 1] = sofa ? 70 + Math.round((y / height) * 30) : 215;
      raw[offset + 2] = sofa ? 160 : 235;
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** One second of silence as a WAV file, for a voice message. */
function silentWav(): Buffer {
  const samples = 8000;
  const buffer = Buffer.alloc(44 + samples);
  buffer.write("RIFF", 0);
  buffer.writeUInt32LE(36 + samples, 4);
  buffer.write("WAVEfmt ", 8);
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(8000, 24);
  buffer.writeUInt32LE(8000, 28);
  buffer.writeUInt16LE(1, 32);
  buffer.writeUInt16LE(8, 34);
  buffer.write("data", 36);
  buffer.writeUInt32LE(samples, 40);
  buffer.fill(128, 44);
  return buffer;
}

interface SeedTarget {
  parley: RunningParley;
  workspaceId: string;
  userId: string;
  widgetInboxId: string;
}

function message(
  target: SeedTarget,
  conversation: { id: string; inboxId: string },
  at: number,
  fields: Partial<MessageRow> & Pick<MessageRow, "direction" | "body">,
): MessageRow {
  const time = new Date(at);
  const outbound = fields.direction === "outbound";
  const status = fields.status ?? (outbound ? "sent" : "read");
  const reached = (level: string[]) => (level.includes(status) ? time : null);
  return {
    id: newId(time),
    workspaceId: target.workspaceId,
    inboxId: conversation.inboxId,
    conversationId: conversation.id,
    type: "text",
    senderType: outbound ? "agent" : "contact",
    senderId: outbound ? target.userId : null,
    status,
    sentAt: reached(["sent", "delivered", "read", "played"]),
    deliveredAt: reached(["delivered", "read", "played"]),
    readAt: reached(["read", "played"]),
    createdAt: time,
    updatedAt: time,
    ...fields,
  };
}

async function addConversation(
  target: SeedTarget,
  row: Omit<ConversationRow, "workspaceId" | "lastMessageAt" | "lastMessageId">,
  rows: MessageRow[],
): Promise<void> {
  const db = target.parley.database.db;
  const last = rows[rows.length - 1]!;
  await db.insert(conversations).values({
    ...row,
    workspaceId: target.workspaceId,
    lastMessageAt: last.createdAt!,
    lastMessageId: last.id!,
    createdAt: rows[0]!.createdAt!,
    updatedAt: last.createdAt!,
  });
  await insertInBatches(rows, (batch) => db.insert(messages).values(batch));
}

const names = ["Ana", "Bruno", "Carla", "Diogo", "Elena", "Filipe", "Greta", "Hugo", "Inês", "João", "Karin", "Luís", "Marta", "Nuno", "Olga", "Pedro"];
const surnames = ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes"];
const lines = [
  "Hi, is this still available?",
  "Thanks, that helps a lot.",
  "Could you tell me more about the delivery options to Porto? I'd like it before the end of the month if possible.",
  "Perfect 👍",
  "What colours does it come in?",
  "Our showroom is open from 10:00 to 19:00, Monday to Saturday.",
  "I have attached the invoice to your order confirmation e-mail; let me know if anything looks wrong.",
  "Great, see you then!",
];

/** `count` ordinary conversations in the widget inbox, one message each, spread over ~4 months before `before`. */
export async function seedManyConversations(target: SeedTarget, count: number, before: number): Promise<void> {
  const db = target.parley.database.db;
  const contactRows: Array<typeof contacts.$inferInsert> = [];
  const conversationRows: ConversationRow[] = [];
  const messageRows: MessageRow[] = [];
  for (let index = 0; index < count; index++) {
    const at = before - index * 37 * minute;
    const contactId = newId(new Date(at - minute));
    const conversationId = newId(new Date(at - minute));
    const inbound = index % 3 !== 0;
    const row = message(target, { id: conversationId, inboxId: target.widgetInboxId }, at, {
      direction: inbound ? "inbound" : "outbound",
      senderType: inbound ? "contact" : "agent",
      senderId: inbound ? contactId : target.userId,
      body: lines[index % lines.length]!,
      status: inbound ? "read" : (["sent", "delivered", "read"] as const)[index % 3],
    });
    contactRows.push({
      id: contactId,
      workspaceId: target.workspaceId,
      visitorId: `seed-${index}`,
      name: `${names[index % names.length]} ${surnames[Math.floor(index / names.length) % surnames.length]} ${String(index).padStart(4, "0")}`,
      createdAt: new Date(at - minute),
    });
    conversationRows.push({
      id: conversationId,
      workspaceId: target.workspaceId,
      inboxId: target.widgetInboxId,
      contactId,
      status: index % 11 === 0 ? "pending" : index % 17 === 0 ? "resolved" : "open",
      unreadCount: inbound && index < 40 ? (index % 4) + 1 : 0,
      lastMessageAt: new Date(at),
      lastMessageId: row.id!,
      createdAt: new Date(at - minute),
      updatedAt: new Date(at),
    });
    messageRows.push(row);
  }
  await insertInBatches(contactRows, (batch) => db.insert(contacts).values(batch));
  await insertInBatches(conversationRows, (batch) => db.insert(conversations).values(batch));
  await insertInBatches(messageRows, (batch) => db.insert(messages).values(batch));
}

/** The text of message `index` (0-based) of a thread made by seedLongThread. */
export function longThreadBody(index: number): string {
  return `#${index + 1} · ${lines[(index * 7) % lines.length]}`;
}

/** One conversation with `count` messages, one a minute up to `lastAt`, in runs of each side. */
export async function seedLongThread(target: SeedTarget, contactName: string, count: number, lastAt: number): Promise<string> {
  const db = target.parley.database.db;
  const contactId = newId(new Date(lastAt - count * minute));
  const conversationId = newId(new Date(lastAt - count * minute));
  await db
    .insert(contacts)
    .values({ id: contactId, workspaceId: target.workspaceId, visitorId: `long-${conversationId}`, name: contactName, email: "olivia@example.com" });
  const rows: MessageRow[] = [];
  for (let index = 0; index < count; index++) {
    const inbound = Math.floor(index / 3) % 2 === 0;
    rows.push(
      message(target, { id: conversationId, inboxId: target.widgetInboxId }, lastAt - (count - 1 - index) * minute, {
        direction: inbound ? "inbound" : "outbound",
        senderType: inbound ? "contact" : "agent",
        senderId: inbound ? contactId : target.userId,
        body: longThreadBody(index),
        status: inbound ? "read" : "read",
      }),
    );
  }
  await addConversation(target, { id: conversationId, inboxId: target.widgetInboxId, contactId, status: "open", unreadCount: 0 }, rows);
  return conversationId;
}

/**
 * A conversation showing every tick (pending, sent, delivered, read, failed), an image, a
 * document, a quoted reply and a day separator; resolves to its id.
 */
export async function seedTickGallery(target: SeedTarget, lastAt: number): Promise<string> {
  const db = target.parley.database.db;
  const contactId = newId(new Date(lastAt - 2000 * minute));
  const conversationId = newId(new Date(lastAt - 2000 * minute));
  await db.insert(contacts).values({
    id: contactId,
    workspaceId: target.workspaceId,
    visitorId: `gallery-${conversationId}`,
    name: "Sofia Gallery",
    email: "sofia@example.com",
    lastSeenAt: new Date(lastAt),
  });
  const photo = await target.parley.media.save(target.workspaceId, { bytes: samplePng(), mime: "image/png", filename: "blue-sofa.png" });
  const sheet = await target.parley.media.save(target.workspaceId, {
    bytes: Buffer.from("%PDF-1.4\n% spec sheet\n".repeat(200)),
    mime: "application/pdf",
    filename: "Lisbon-sofa-spec-sheet.pdf",
  });
  const where = { id: conversationId, inboxId: target.widgetInboxId };
  const customer = { direction: "inbound" as const, senderType: "contact" as const, senderId: contactId };
  const yesterday = lastAt - 24 * 60 * minute;
  const rows: MessageRow[] = [
    message(target, where, yesterday, { ...customer, body: "Hi! Do you still have the blue Lisbon sofa?" }),
    message(target, where, yesterday + minute, { direction: "outbound", body: "Hello Sofia! Yes, we have two left.", status: "read" }),
    message(target, where, lastAt - 12 * minute, { ...customer, body: "Could you send me a photo?" }),
  ];
  const photoMessage = message(target, where, lastAt - 11 * minute, {
    direction: "outbound",
    type: "image",
    body: "Here it is, in blue velvet",
    mediaId: photo.id,
    status: "read",
  });
  rows.push(
    photoMessage,
    message(target, where, lastAt - 10 * minute, { ...customer, body: "Love it! What are the dimensions?", replyToId: photoMessage.id! }),
    message(target, where, lastAt - 9 * minute, { direction: "outbound", body: "220 × 95 × 85 cm. Delivery takes 3 days.", status: "delivered" }),
    message(target, where, lastAt - 8 * minute, { direction: "outbound", type: "document", body: null, mediaId: sheet.id, status: "delivered" }),
    message(target, where, lastAt - 6 * minute, { ...customer, body: "Can I pay on delivery?" }),
    message(target, where, lastAt - 5 * minute, { direction: "outbound", body: "Yes, cash or card.", status: "sent" }),
    message(target, where, lastAt - 3 * minute, {
      direction: "outbound",
      body: "Your order number is #4411.",
      status: "failed",
      failedReason: "The customer's session expired",
    }),
    message(target, where, lastAt - 2 * minute, { direction: "outbound", body: "Let me confirm the date with the warehouse…", status: "pending" }),
  );
  await addConversation(target, { id: conversationId, inboxId: target.widgetInboxId, contactId, status: "open", unreadCount: 0 }, rows);
  return conversationId;
}

/** A WhatsApp Web inbox with a group of four customers; resolves to the group conversation's id. */
export async function seedGroup(target: SeedTarget, lastAt: number): Promise<string> {
  const db = target.parley.database.db;
  const inboxId = newId();
  await db
    .insert(inboxes)
    .values({ id: inboxId, workspaceId: target.workspaceId, provider: "whatsapp_web", name: "Store WhatsApp", status: "ready", phoneNumber: "+351912345678" });
  const conversationId = newId(new Date(lastAt - 60 * minute));
  const people = ["Marta Costa", "Hugo Reis", "Inês Duarte", "Rui Lopes"].map((name, index) => ({ id: newId(), name, phone: `+35191000000${index}` }));
  await db.insert(contacts).values(people.map((person) => ({ id: person.id, workspaceId: target.workspaceId, phone: person.phone, name: person.name })));
  const voice = await target.parley.media.save(target.workspaceId, { bytes: silentWav(), mime: "audio/wav", filename: "voice-note.wav" });
  const where = { id: conversationId, inboxId };
  const from = (index: number) => ({ direction: "inbound" as const, senderType: "contact" as const, senderId: people[index]!.id });
  const rows = [
    message(target, where, lastAt - 9 * minute, { ...from(0), body: "Morning all! Who is opening the store today?" }),
    message(target, where, lastAt - 8 * minute, { ...from(1), body: "I can, arriving at 9:30." }),
    message(target, where, lastAt - 7 * minute, { ...from(1), body: "Need the alarm code though" }),
    message(target, where, lastAt - 6 * minute, { direction: "outbound", body: "Sending it to you privately, Hugo.", status: "read" }),
    message(target, where, lastAt - 4 * minute, { ...from(2), type: "voice", body: null, mediaId: voice.id }),
    message(target, where, lastAt, { ...from(3), body: "Thanks! I'll bring coffee ☕" }),
  ];
  await addConversation(
    target,
    { id: conversationId, inboxId, kind: "group", groupJid: "120363041234567890@g.us", groupName: "Lisbon Store Team", status: "open", unreadCount: 2 },
    rows,
  );
  await db
    .insert(groupParticipants)
    .values(
      people.map((person) => ({ id: newId(), workspaceId: target.workspaceId, conversationId, jid: `${person.phone.slice(1)}@c.us`, name: person.name })),
    );
  return conversationId;
}
