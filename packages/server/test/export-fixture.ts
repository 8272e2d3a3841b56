/** Conversations written straight into the database for the dataset-export tests, with exact times. */
import { newId } from "../src/domain/ids.ts";
import type { Database } from "../src/store/database.ts";
import { contacts, conversations, inboxes, messages } from "../src/store/schema/index.ts";

export interface FixtureMessage {
  from: "customer" | "agent" | "system";
  body: string | null;
  /** Seconds after the conversation's start. */
  at: number;
  sentiment?: number;
  intent?: string;
}

/** A widget inbox in the workspace; its id. */
export async function seedInbox(db: Database, workspaceId: string, name = "Website"): Promise<string> {
  const id = newId();
  await db.insert(inboxes).values({ id, workspaceId, provider: "web_widget", name });
  return id;
}

/** A conversation with a named contact and `messages` from `start`; its id. */
export async function seedConversation(
  db: Database,
  input: {
    workspaceId: string;
    inboxId: string;
    contactName: string | null;
    start: Date;
    status?: "open" | "pending" | "resolved";
    messages: FixtureMessage[];
  },
): Promise<string> {
  const contactId = newId(input.start);
  await db.insert(contacts).values({ id: contactId, workspaceId: input.workspaceId, name: input.contactName, visitorId: contactId });
  const conversationId = newId(input.start);
  const last = input.messages.reduce((latest, message) => Math.max(latest, message.at), 0);
  await db.insert(conversations).values({
    id: conversationId,
    workspaceId: input.workspaceId,
    inboxId: input.inboxId,
    contactId,
    status: input.status ?? "open",
    createdAt: input.start,
    lastMessageAt: new Date(input.start.getTime() + last * 1000),
  });
  if (input.messages.length === 0) return conversationId;
  await db.insert(messages).values(
    input.messages.map((message) => {
      const createdAt = new Date(input.start.getTime() + message.at * 1000);
      return {
        id: newId(createdAt),
        workspaceId: input.workspaceId,
        inboxId: input.inboxId,
        conversationId,
        direction: message.from === "customer" ? ("inbound" as const) : ("outbound" as const),
        body: message.body,
        senderType: message.from === "customer" ? ("contact" as const) : message.from,
        status: "delivered" as const,
        createdAt,
        sentiment: message.sentiment ?? null,
        intent: message.intent ?? null,
      };
    }),
  );
  return conversationId;
}
