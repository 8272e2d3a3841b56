/** Domain entities → the public JSON shapes of @parley/protocol/api (snake_case, ISO times). */
import type {
  ApiCampaign,
  ApiCampaignRecipient,
  ApiContactDetail,
  ApiWorkspaceSettings,
  ApiArticle,
  ApiCannedResponse,
  ApiLabel,
  ApiContact,
  ApiConversation,
  ApiEnrichment,
  ApiGroupParticipant,
  ApiInbox,
  ApiMember,
  ApiMessage,
  ApiUser,
  ApiWorkspace,
  MessageSender,
} from "@parley/protocol/api";
import type { CampaignRecipient } from "./domain/campaigns/campaign.ts";
import type { CampaignView } from "./domain/campaigns/campaigns.usecases.ts";
import type { Contact } from "./domain/contacts/contact.ts";
import type { ConversationSummary } from "./domain/conversations/conversation.ts";
import type { GroupMember } from "./domain/conversations/group-participants.ts";
import { serviceWindowMsOf, serviceWindowState } from "./domain/conversations/service-window.ts";
import type { Inbox } from "./domain/inboxes/inbox.ts";
import type { Article, CannedResponse, Label } from "./domain/knowledge/knowledge.ts";
import type { Message, MessageMedia, QuotedMessage } from "./domain/messages/message.ts";
import type { Enrichment } from "./domain/intelligence/enrichment.ts";
import type { Membership, User, Workspace } from "./domain/tenancy/tenancy.ts";
import type { WorkspaceSettings } from "./domain/tenancy/workspace-settings.ts";
import { jidOfPhone } from "./domain/whatsapp-web/jid.ts";

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The capability URL of an attachment (served by media.routes.ts). */
export function mediaUrl(media: Pick<MessageMedia, "id" | "accessKey">): string {
  return `/api/v1/media/${media.id}?key=${media.accessKey}`;
}

/**
 * Who wrote a message. A contact's JID is derived from their phone rather than stored: it is
 * `<E.164 digits>@s.whatsapp.net` by definition (WHATSAPP.md), so a column could only drift.
 */
function presentSender(message: Pick<QuotedMessage, "senderType" | "senderId" | "senderName" | "senderPhone">): MessageSender {
  return {
    type: message.senderType,
    id: message.senderId,
    name: message.senderName,
    jid: message.senderType === "contact" ? jidOfPhone(message.senderPhone) : null,
  };
}

export function presentMessage(message: Message): ApiMessage {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    direction: message.direction,
    type: message.type,
    body: message.body,
    status: message.status,
    provider_message_id: message.providerMessageId,
    client_message_id: message.clientMessageId,
    reply_to_id: message.replyToId,
    sender: presentSender(message),
    failed_reason: message.failedReason,
    media: message.media
      ? { id: message.media.id, mime: message.media.mime, size: message.media.sizeBytes, url: mediaUrl(message.media), filename: message.media.filename }
      : null,
    template: message.attributes.template ?? null,
    location: message.attributes.location ?? null,
    contacts: message.attributes.contacts ?? null,
    reply_to: message.replyTo
      ? {
          id: message.replyTo.id,
          type: message.replyTo.type,
          body: message.replyTo.body,
          sender: presentSender(message.replyTo),
        }
      : null,
    created_at: message.createdAt.toISOString(),
    sent_at: iso(message.sentAt),
    delivered_at: iso(message.deliveredAt),
    read_at: iso(message.readAt),
    sent_from_phone: message.attributes.sentFromPhone === true,
    deleted_at: message.attributes.deletedAt ?? null,
    edited_at: message.attributes.editedAt ?? null,
    sent_via: message.sentVia ? { inbox_id: message.sentVia.inboxId, name: message.sentVia.name } : null,
    enrichment: message.enrichment ? presentEnrichment(message.enrichment) : null,
  };
}

/** A message's enrichment on the wire (a copy, so the message's own object is never shared). */
export function presentEnrichment(enrichment: Enrichment): ApiEnrichment {
  return {
    language: enrichment.language,
    sentiment: { label: enrichment.sentiment.label, score: enrichment.sentiment.score },
    urgency: enrichment.urgency,
    intent: { name: enrichment.intent.name, confidence: enrichment.intent.confidence },
    keywords: [...enrichment.keywords],
  };
}

/** A contact; its WhatsApp JID is derived from its phone (see `presentSender`). */
export function presentContact(contact: Contact): ApiContact {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    jid: jidOfPhone(contact.phone),
    visitor_id: contact.visitorId,
    avatar_url: contact.avatarUrl,
    last_seen_at: iso(contact.lastSeenAt),
    blocked: contact.blocked,
    labels: [...contact.labels],
    opted_out_at: iso(contact.optedOutAt),
    opt_out_source: contact.optOutSource,
    created_at: contact.createdAt.toISOString(),
  };
}

/** A contact with its custom attributes, as the Contacts page shows and edits it. */
export function presentContactDetail(contact: Contact): ApiContactDetail {
  return { ...presentContact(contact), custom_attributes: { ...contact.customAttributes } };
}

/** A workspace's settings on the wire. */
export function presentWorkspaceSettings(settings: WorkspaceSettings): ApiWorkspaceSettings {
  return {
    country: settings.country,
    time_zone: settings.timeZone,
    opt_out_keywords: [...settings.optOutKeywords],
    opt_in_keywords: [...settings.optInKeywords],
    opt_out_reply: settings.optOutReply,
  };
}

/** A conversation with what a list row shows; its window as of `now`. */
export function presentConversation(conversation: ConversationSummary, now: Date = new Date()): ApiConversation {
  const windowMs = serviceWindowMsOf(conversation.inbox.provider);
  const window = windowMs === null ? null : serviceWindowState(conversation.lastInboundAt, now, windowMs);
  return {
    id: conversation.id,
    inbox_id: conversation.inboxId,
    kind: conversation.kind,
    status: conversation.status,
    assignee_id: conversation.assigneeId,
    unread_count: conversation.unreadCount,
    last_message_at: iso(conversation.lastMessageAt),
    group: conversation.groupJid ? { jid: conversation.groupJid, subject: conversation.groupName, participant_count: conversation.participantCount } : null,
    inbox: conversation.inbox,
    contact: conversation.contact ? presentContact(conversation.contact) : null,
    last_message: conversation.lastMessage ? presentMessage(conversation.lastMessage) : null,
    window: window ? { open: window.open, closes_at: iso(window.closesAt) } : null,
    labels: [...conversation.labels],
    created_at: conversation.createdAt.toISOString(),
    updated_at: conversation.updatedAt.toISOString(),
  };
}

/** A member of a group conversation, with the workspace's contact for their number when there is one. */
export function presentGroupParticipant(member: GroupMember): ApiGroupParticipant {
  return {
    jid: member.jid,
    contact_id: member.contact?.id ?? null,
    name: member.name,
    phone: member.phone,
    is_admin: member.isAdmin,
    joined_at: iso(member.joinedAt),
  };
}

/** Where Meta must send a Cloud API inbox's webhooks (served by whatsapp-cloud-webhooks.routes.ts). */
export function cloudWebhookUrl(publicBaseUrl: string, inboxId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, "")}/webhooks/whatsapp-cloud/${inboxId}`;
}

/** An inbox; `publicBaseUrl` (e.g. `https://parley.example`) makes its absolute webhook URL. */
export function presentInbox(inbox: Inbox, publicBaseUrl: string): ApiInbox {
  return {
    id: inbox.id,
    workspace_id: inbox.workspaceId,
    provider: inbox.provider,
    name: inbox.name,
    status: inbox.status,
    status_reason: inbox.statusReason,
    phone_number: inbox.phoneNumber,
    engine: inbox.engine,
    sync: inbox.sync,
    qr: inbox.qr ? { code: inbox.qr.code, image_data_url: inbox.qr.imageDataUrl, expires_at: inbox.qr.expiresAt.toISOString() } : null,
    is_primary: inbox.isPrimary,
    widget_key: inbox.widgetKey,
    widget: inbox.widget,
    webhook_url: inbox.provider === "whatsapp_cloud" ? cloudWebhookUrl(publicBaseUrl, inbox.id) : null,
    config: inbox.cloudApi
      ? {
          phone_number_id: inbox.cloudApi.phoneNumberId,
          waba_id: inbox.cloudApi.wabaId,
          graph_base_url: inbox.cloudApi.graphBaseUrl,
          has_access_token: inbox.cloudApi.hasAccessToken,
          has_app_secret: inbox.cloudApi.hasAppSecret,
          has_verify_token: inbox.cloudApi.hasVerifyToken,
          messaging_limit: inbox.cloudApi.messagingLimit,
        }
      : null,
    unread_count: inbox.unreadCount,
    created_at: inbox.createdAt.toISOString(),
  };
}

export function presentUser(user: User): ApiUser {
  return { id: user.id, name: user.name, email: user.email, locale: user.locale };
}

export function presentWorkspace(workspace: Workspace): ApiWorkspace {
  return { id: workspace.id, name: workspace.name, slug: workspace.slug };
}

export function presentMember(member: Membership): ApiMember {
  return { user_id: member.user.id, name: member.user.name, email: member.user.email, role: member.role };
}

export function presentCannedResponse(canned: CannedResponse): ApiCannedResponse {
  return {
    id: canned.id,
    shortcode: canned.shortcode,
    content: canned.content,
    created_at: canned.createdAt.toISOString(),
    updated_at: canned.updatedAt.toISOString(),
  };
}

export function presentLabel(label: Label): ApiLabel {
  return { id: label.id, name: label.name, color: label.color, created_at: label.createdAt.toISOString() };
}

export function presentArticle(article: Article): ApiArticle {
  return {
    id: article.id,
    title: article.title,
    body: article.body,
    language: article.language,
    created_at: article.createdAt.toISOString(),
    updated_at: article.updatedAt.toISOString(),
  };
}

/** A campaign with its counts (wire/campaign.ts). */
export function presentCampaign(view: CampaignView): ApiCampaign {
  const { campaign } = view;
  return {
    id: campaign.id,
    name: campaign.name,
    inbox_id: campaign.inboxId,
    status: campaign.status,
    message: campaign.message,
    audience: campaign.audience,
    pacing: campaign.pacing,
    schedule_at: campaign.scheduleAt?.toISOString() ?? null,
    started_at: campaign.startedAt?.toISOString() ?? null,
    completed_at: campaign.completedAt?.toISOString() ?? null,
    created_at: campaign.createdAt.toISOString(),
    counts: view.counts,
    failed_by_reason: view.failedByReason,
    waiting_until: campaign.waitingUntil?.toISOString() ?? null,
    waiting_reason: campaign.waitingReason,
  };
}

/** One recipient row of a campaign. */
export function presentCampaignRecipient(recipient: CampaignRecipient): ApiCampaignRecipient {
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    id: recipient.id,
    contact_id: recipient.contactId,
    contact_name: recipient.contactName,
    phone: recipient.phone,
    status: recipient.status,
    reason: recipient.reason,
    error_code: recipient.errorCode,
    message_id: recipient.messageId,
    provider_message_id: recipient.providerMessageId,
    sent_at: iso(recipient.sentAt),
    delivered_at: iso(recipient.deliveredAt),
    read_at: iso(recipient.readAt),
    failed_at: iso(recipient.failedAt),
    replied_at: iso(recipient.repliedAt),
    opted_out_at: iso(recipient.optedOutAt),
  };
}
