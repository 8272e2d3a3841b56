/** Row → domain entity mappers, one per table; the only place that knows both shapes. */
import type { InferSelectModel } from "drizzle-orm";
import type { Contact } from "../../domain/contacts/contact.ts";
import type { Conversation } from "../../domain/conversations/conversation.ts";
import { whatsappEngines } from "@parley/protocol/values";
import {
  defaultWidgetSettings,
  type CloudApiSecretName,
  type CloudApiSettings,
  type Inbox,
  type InboxSync,
  type WhatsappEngine,
  type WidgetSettings,
} from "../../domain/inboxes/inbox.ts";
import { storedMessagingLimit } from "../../domain/inboxes/messaging-limit.ts";
import type { Message } from "../../domain/messages/message.ts";
import { effectiveEnrichment } from "../../domain/intelligence/correction.ts";
import type { User, Workspace } from "../../domain/tenancy/tenancy.ts";
import type { contacts, conversations, inboxes, messages, users, workspaces } from "../schema/index.ts";

export function toWorkspace(row: InferSelectModel<typeof workspaces>): Workspace {
  return { id: row.id, name: row.name, slug: row.slug, status: row.status, createdAt: row.createdAt };
}

export function toUser(row: InferSelectModel<typeof users>): User {
  return { id: row.id, name: row.name, email: row.email, locale: row.locale, createdAt: row.createdAt };
}

export function toInbox(row: InferSelectModel<typeof inboxes>, unreadCount = 0): Inbox {
  const widget = row.provider === "web_widget" ? { ...defaultWidgetSettings, ...((row.config["widget"] ?? {}) as Partial<WidgetSettings>) } : null;
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    provider: row.provider,
    name: row.name,
    status: row.status,
    statusReason: row.statusReason,
    phoneNumber: row.phoneNumber,
    engine: row.provider === "whatsapp_web" ? engineOf(row.config) : null,
    sync: row.syncState ? (row.syncState as unknown as InboxSync) : null,
    qr: row.qr ? { code: row.qr.code, imageDataUrl: row.qr.image_data_url, expiresAt: new Date(row.qr.expires_at) } : null,
    isPrimary: row.isPrimary,
    widgetKey: row.widgetKey,
    widget,
    cloudApi: row.provider === "whatsapp_cloud" ? toCloudApiSettings(row.config) : null,
    unreadCount,
    createdAt: row.createdAt,
  };
}

/** A WhatsApp Web inbox's engine, from its config (Baileys unless set). */
function engineOf(config: Record<string, unknown>): WhatsappEngine {
  const engine = config["engine"];
  return whatsappEngines.includes(engine as WhatsappEngine) ? (engine as WhatsappEngine) : "baileys";
}

/** The public part of a Cloud API inbox's config (see inboxes.usecases.ts for its layout). */
function toCloudApiSettings(config: Record<string, unknown>): CloudApiSettings {
  const sealed = (config["sealed"] ?? {}) as Partial<Record<CloudApiSecretName, string>>;
  return {
    phoneNumberId: String(config["phone_number_id"] ?? ""),
    wabaId: typeof config["waba_id"] === "string" ? config["waba_id"] : null,
    graphBaseUrl: String(config["graph_base_url"] ?? ""),
    hasAccessToken: Boolean(sealed.access_token),
    hasAppSecret: Boolean(sealed.app_secret),
    hasVerifyToken: Boolean(sealed.verify_token),
    messagingLimit: storedMessagingLimit(config["messaging_limit"]),
  };
}

/** Custom attributes as text: values written by older code or by hand in SQL may be numbers or booleans. */
function textAttributes(stored: Record<string, unknown>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (value !== null && value !== undefined) attributes[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return attributes;
}

export function toContact(row: InferSelectModel<typeof contacts>): Contact {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    phone: row.phone,
    visitorId: row.visitorId,
    name: row.name,
    email: row.email,
    avatarUrl: row.avatarUrl,
    lastSeenAt: row.lastSeenAt,
    blocked: row.blocked,
    labels: row.labels,
    customAttributes: textAttributes(row.customAttributes),
    optedOutAt: row.optedOutAt,
    optOutSource: row.optOutSource,
    createdAt: row.createdAt,
  };
}

export function toConversation(row: InferSelectModel<typeof conversations>): Conversation {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    inboxId: row.inboxId,
    contactId: row.contactId,
    kind: row.kind,
    groupJid: row.groupJid,
    groupName: row.groupName,
    status: row.status,
    assigneeId: row.assigneeId,
    lastMessageAt: row.lastMessageAt,
    lastMessageId: row.lastMessageId,
    unreadCount: row.unreadCount,
    lastInboundAt: row.lastInboundAt,
    labels: row.labels,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function toMessage(row: InferSelectModel<typeof messages>): Message {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    inboxId: row.inboxId,
    conversationId: row.conversationId,
    direction: row.direction,
    type: row.type,
    body: row.body,
    mediaId: row.mediaId,
    replyToId: row.replyToId,
    senderType: row.senderType,
    senderId: row.senderId,
    status: row.status,
    providerMessageId: row.providerMessageId,
    sentVia: row.sentViaInboxId ? { inboxId: row.sentViaInboxId, name: null } : null,
    clientMessageId: row.clientMessageId,
    campaignId: row.campaignId,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    readAt: row.readAt,
    failedReason: row.failedReason,
    retryCount: row.retryCount,
    attributes: row.attributes,
    enrichment: effectiveEnrichment(row.enrichment, row.enrichmentCorrection),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    senderName: null,
    senderPhone: null,
    media: null,
    replyTo: null,
  };
}
