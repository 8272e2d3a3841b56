/**
 * What a campaign may ask of its inbox (issue 10, parts 2 and 6): a Cloud API inbox sends an
 * approved template (outside the 24-hour customer-service window WhatsApp allows nothing else;
 * Meta's "Send message templates"); a WhatsApp Web inbox sends text (it has no templates); a
 * website widget sends no campaigns.
 */
import { DomainError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { CampaignAudience, CampaignMessage } from "./campaign.ts";

/** @throws DomainError `campaigns.invalid_message` (422) when the message does not suit the inbox. */
export function assertMessageFitsInbox(message: CampaignMessage, inbox: Pick<Inbox, "provider">): void {
  const invalid = (text: string, field = "message") => new DomainError("campaigns.invalid_message", text, { field });
  if (inbox.provider === "web_widget") throw invalid("Campaigns are sent through WhatsApp inboxes, not the website widget.", "inbox_id");
  if (inbox.provider === "whatsapp_cloud") {
    if (!message.template)
      throw invalid(
        "A WhatsApp Cloud API inbox sends campaigns as an approved template: free-form text is only allowed within 24 hours of the customer's last message.",
        "message.template",
      );
    if (message.body !== undefined || (message.variations?.length ?? 0) > 0)
      throw invalid("Give either a template or a body with variations, not both.", "message.body");
    return;
  }
  if (message.template) throw invalid("A WhatsApp Web inbox cannot send templates: write the message as text (body, variations).", "message.template");
  if (!message.body) throw invalid("Write the message's text (body).", "message.body");
}

/** @throws DomainError `request.invalid` (400, field `audience.contact_ids`) for an id that is not a UUID. */
export function assertAudienceIds(audience: CampaignAudience): void {
  if ((audience.contact_ids ?? []).some((id) => !isUuid(id))) {
    throw new DomainError("request.invalid", "Every contact id of the audience must be a contact's id.", { field: "audience.contact_ids" });
  }
}
