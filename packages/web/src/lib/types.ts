/**
 * The JSON shapes the inbox works with: Parley's wire contract (@parley/protocol/api) under the
 * names the app uses, plus the app's own view of a thread row.
 */
import type {
  ApiConversation,
  ApiGroupParticipant,
  ApiInbox,
  ApiMedia,
  ApiMember,
  ApiMembership,
  ApiMessage,
  ApiUser,
  InboxProvider,
  SharedContact,
  WhatsAppCloudConfig,
} from "@parley/protocol/api";

export type {
  ApiContact,
  ConversationStatus,
  CreateInboxRequest,
  InboxSummary,
  MessageLocation,
  MessageSender,
  MessageStatus,
  MessageTemplate,
  MessageType,
  QuotedMessage,
  InboxQrEventPayload,
  InboxStatus,
  InboxStatusEventPayload,
  MessagingLimit,
  RealtimeInfo,
  Role,
  SyncProgressEventPayload,
  WhatsappEngine,
} from "@parley/protocol/api";
/** One shared contact card. */
export type MessageContactCard = SharedContact;
/** A WhatsApp Cloud inbox's settings; secrets only say whether they are set. */
export type InboxConfig = WhatsAppCloudConfig;

export type Provider = InboxProvider;
/** A stored attachment; `url` works in <img src> without a bearer header. Size in bytes. */
export type MessageMedia = ApiMedia;
export type Message = ApiMessage;
export type Conversation = ApiConversation;
/** A member of a group conversation, with the workspace's contact for their number when there is one. */
export type GroupParticipant = ApiGroupParticipant;
export type Inbox = ApiInbox;
export type Member = ApiMember;
export type User = ApiUser;
export type WorkspaceMembership = ApiMembership;

/**
 * A message as the thread holds it. `key` is stable for the life of the row (the
 * client_message_id when there is one, else the id), so an optimistic bubble keeps its DOM node
 * when the server confirms it. `local` is set while this tab is sending it ("sending") or after
 * its POST failed ("failed"); server-confirmed messages have none.
 */
export interface ThreadMessage extends Message {
  key: string;
  local?: "sending" | "failed";
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}
