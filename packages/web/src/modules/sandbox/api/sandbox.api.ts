import { http } from "../../../lib/http.ts";
import type { InboxStatus } from "../../../lib/types.ts";

/** The sandbox phone of an inbox (`/api/v1/sandbox/{inbox_id}`): members of its workspace only. */
export interface SandboxPhoneInfo {
  inbox_id: string;
  inbox_name: string;
  /** The simulated business number. */
  phone_number: string;
  status: InboxStatus;
}

export interface SandboxChat {
  jid: string;
  name: string | null;
  is_group: boolean;
  last_message_at: string | null;
}

export interface SandboxMessage {
  /** WhatsApp's id. */
  id: string;
  /** Written by the business (an agent in Parley, or the owner on the phone). */
  from_business: boolean;
  sender: string;
  sender_name: string | null;
  body: string | null;
  sent_at: string;
  deleted: boolean;
  edited: boolean;
}

const base = (inboxId: string) => `/api/v1/sandbox/${inboxId}`;

export const sandboxApi = {
  info: (inboxId: string) => http<SandboxPhoneInfo>("GET", base(inboxId)),
  scan: (inboxId: string) => http<void>("POST", `${base(inboxId)}/scan`),
  chats: (inboxId: string) => http<{ data: SandboxChat[] }>("GET", `${base(inboxId)}/chats`),
  messages: (inboxId: string, jid: string) => http<{ data: SandboxMessage[] }>("GET", `${base(inboxId)}/chats/${encodeURIComponent(jid)}/messages`),
  /** A customer writes (in `group`, a subject, when given). */
  write: (inboxId: string, input: { from: string; name?: string; body: string; group?: string }) =>
    http<{ provider_message_id: string }>("POST", `${base(inboxId)}/messages`, input),
  /** The customer `reader` reads the business's message `providerMessageId`. */
  read: (inboxId: string, providerMessageId: string, reader: string) =>
    http<void>("POST", `${base(inboxId)}/read`, { provider_message_id: providerMessageId, reader }),
};
