/**
 * The create wizard's form and the request it sends: `POST /campaigns` (or `PATCH` for a draft)
 * exactly as issue 10's contract has it, and back again to edit a saved draft.
 */
import type { ApiCampaign, ApiCampaignMessage, ApiCampaignRequest, InboxProvider } from "@parley/protocol/api";
import { t } from "../../../i18n/index.ts";
import { instantOfWallTime, type WallTime, wallTimeOf } from "./zoned-time.ts";

/** The contact fields a variable can take (the server renders them: `{{name}}`, `{{first_name}}`, `{{phone}}`). */
export const contactFields = [{ key: "name" }, { key: "first_name" }, { key: "phone" }] as const;
export type ContactField = (typeof contactFields)[number]["key"];

/** A contact field's name in the active language ("First name" / "Nama depan"). */
export function contactFieldLabel(field: ContactField): string {
  return t(`campaigns.fields.${field}`);
}

/**
 * Where one template variable ({{1}}, {{2}}…) takes its value for each recipient: a contact
 * field or custom attribute (with `fallback` for contacts who have none; without one they are
 * skipped), or the same text for everyone.
 */
export type VariableSource =
  | { kind: "field"; field: ContactField; fallback: string }
  | { kind: "attribute"; key: string; fallback: string }
  | { kind: "text"; text: string };

/** A custom attribute's key as the server's `{{key}}` syntax takes it. */
export const attributeKeyPattern = /^[A-Za-z0-9_.-]+$/;

/** The wizard's state; ids are the server's. */
export interface CampaignDraft {
  name: string;
  inboxId: string;
  /** WhatsApp Web: the text (with `{{name}}`-style variables) and its alternative wordings. */
  body: string;
  variations: string[];
  /** Cloud API: the approved template and where each of its variables comes from. */
  template: { name: string; language: string } | null;
  variables: VariableSource[];
  labels: string[];
  contacts: { id: string; name: string }[];
  /** WhatsApp Web: also message contacts who never wrote to the number (raises the ban risk). */
  includeNeverWrote: boolean;
  /** null: start by hand ("Start now"); else the workspace's local date and time. */
  scheduleAt: WallTime | null;
  /** Advanced pacing; null keeps the server's default for the inbox's kind. */
  perSecond: number | null;
  dailyCap: number | null;
}

export function emptyDraft(): CampaignDraft {
  return {
    name: "",
    inboxId: "",
    body: "",
    variations: [],
    template: null,
    variables: [],
    labels: [],
    contacts: [],
    includeNeverWrote: false,
    scheduleAt: null,
    perSecond: null,
    dailyCap: null,
  };
}

/** A variable's value as the contract carries it: a field in `{{…}}`, or the literal text. */
export function variableValue(source: VariableSource): string {
  if (source.kind === "text") return source.text;
  const key = source.kind === "field" ? source.field : source.key.trim();
  const fallback = source.fallback.trim();
  return fallback ? `{{${key}|${fallback}}}` : `{{${key}}}`;
}

/** The inverse of `variableValue`: `{{first_name|Kak}}` is a field with a fallback, `{{city}}` a custom attribute, anything else literal text. */
export function variableSource(value: string): VariableSource {
  const match = /^\{\{\s*([\w.-]+)\s*(?:\|([^}]*))?\}\}$/.exec(value);
  if (!match) return { kind: "text", text: value };
  const key = match[1]!;
  const fallback = match[2] ?? "";
  const field = contactFields.find((candidate) => candidate.key === key);
  return field ? { kind: "field", field: field.key, fallback } : { kind: "attribute", key, fallback };
}

/** The message part of the request for an inbox of `provider`: a template for the Cloud API, text for WhatsApp Web. */
export function draftMessage(draft: CampaignDraft, provider: InboxProvider): ApiCampaignMessage {
  if (provider === "whatsapp_cloud") {
    return draft.template ? { template: { name: draft.template.name, language: draft.template.language, variables: draft.variables.map(variableValue) } } : {};
  }
  const variations = draft.variations.map((text) => text.trim()).filter(Boolean);
  return { body: draft.body.trim(), ...(variations.length > 0 ? { variations } : {}) };
}

/**
 * The request body for `draft`. `timeZone` is the workspace's (IANA): a scheduled wall time
 * becomes the UTC instant it names there (`schedule_at`, ISO-8601 with `Z`, which the contract's
 * `isoTime` accepts). Throws RangeError for an unparsable schedule.
 */
export function campaignRequest(draft: CampaignDraft, provider: InboxProvider, timeZone: string): ApiCampaignRequest {
  const pacing = {
    ...(draft.perSecond ? { per_second: draft.perSecond } : {}),
    ...(draft.dailyCap ? { daily_cap: draft.dailyCap } : {}),
  };
  return {
    name: draft.name.trim(),
    inbox_id: draft.inboxId,
    message: draftMessage(draft, provider),
    audience: {
      ...(draft.labels.length > 0 ? { labels: [...draft.labels] } : {}),
      ...(draft.contacts.length > 0 ? { contact_ids: draft.contacts.map((contact) => contact.id) } : {}),
      ...(provider === "whatsapp_web" && draft.includeNeverWrote ? { include_never_wrote: true } : {}),
    },
    schedule_at: draft.scheduleAt ? instantOfWallTime(draft.scheduleAt, timeZone).toISOString() : null,
    ...(Object.keys(pacing).length > 0 ? { pacing } : {}),
  };
}

/** A saved campaign back in the wizard (editing a draft). Picked contacts show their ids until named. */
export function draftOf(campaign: ApiCampaign, timeZone: string): CampaignDraft {
  const template = campaign.message.template;
  const [body = "", ...rest] = [campaign.message.body ?? "", ...(campaign.message.variations ?? [])];
  return {
    name: campaign.name,
    inboxId: campaign.inbox_id,
    body,
    variations: rest,
    template: template ? { name: template.name, language: template.language } : null,
    variables: template ? template.variables.map(variableSource) : [],
    labels: [...(campaign.audience.labels ?? [])],
    contacts: (campaign.audience.contact_ids ?? []).map((id) => ({ id, name: id })),
    includeNeverWrote: campaign.audience.include_never_wrote ?? false,
    scheduleAt: campaign.schedule_at ? wallTimeOf(new Date(campaign.schedule_at), timeZone) : null,
    perSecond: campaign.pacing.per_second ?? null,
    dailyCap: campaign.pacing.daily_cap ?? null,
  };
}

/** Why the wizard cannot go past `step` yet (in the active language), or null when it can. */
export function stepProblem(step: "inbox" | "message" | "audience" | "review", draft: CampaignDraft, provider: InboxProvider | null): string | null {
  if (step === "inbox") {
    if (!draft.name.trim()) return t("campaigns.problems.name");
    if (!draft.inboxId || !provider) return t("campaigns.problems.inbox");
    return null;
  }
  if (step === "message") {
    if (provider === "whatsapp_cloud") {
      if (!draft.template) return t("campaigns.problems.template");
      if (draft.variables.some((source) => !variableValue(source).trim() || (source.kind === "attribute" && !source.key.trim())))
        return t("campaigns.problems.variables");
      if (draft.variables.some((source) => source.kind === "attribute" && !attributeKeyPattern.test(source.key.trim())))
        return t("campaigns.problems.attributeKey");
      return null;
    }
    return draft.body.trim() ? null : t("campaigns.problems.body");
  }
  if (step === "audience") return draft.labels.length > 0 || draft.contacts.length > 0 ? null : t("campaigns.problems.audience");
  return null;
}
