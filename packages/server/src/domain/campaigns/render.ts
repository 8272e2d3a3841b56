/**
 * Rendering a campaign's message for one contact (issue 10, part 2). Text takes `{{name}}`,
 * `{{first_name}}`, `{{phone}}` and custom attributes by key, each with an optional fallback
 * (`{{name|Kak}}`). A variable with no value and no fallback makes the recipient skipped with
 * `missing_variable`: a broken "Hi ," is never sent, and Meta refuses an empty template
 * parameter anyway (error 131008, "Required parameter is missing"; Meta's "WhatsApp error codes").
 */
import type { CampaignMessage } from "./campaign.ts";

/** The contact fields a message can use. */
export interface RenderContact {
  id: string;
  name: string | null;
  /** E.164. */
  phone: string | null;
  customAttributes: Record<string, unknown>;
}

/** What one recipient gets: text, or a template with its variables filled; or the variable that was missing. */
export type Rendered =
  | { ok: true; kind: "text"; text: string }
  | { ok: true; kind: "template"; template: { name: string; language: string; variables: string[] }; text: string }
  | { ok: false; missing: string };

const variablePattern = /\{\{\s*([A-Za-z0-9_.-]+)\s*(?:\|([^}]*))?\}\}/g;

/** A contact field's value as text, or "" when it has none. */
export function contactField(contact: RenderContact, key: string): string {
  switch (key) {
    case "name":
      return contact.name?.trim() ?? "";
    case "first_name":
      return contact.name?.trim().split(/\s+/)[0] ?? "";
    case "phone":
      return contact.phone ?? "";
    default: {
      const value = contact.customAttributes[key];
      if (value === null || value === undefined) return "";
      return (typeof value === "string" ? value : String(value)).trim();
    }
  }
}

/** Fills `{{key}}` and `{{key|fallback}}` in `text`; the first key with no value and no fallback is reported missing. */
export function fillVariables(text: string, contact: RenderContact): { ok: true; text: string } | { ok: false; missing: string } {
  let missing: string | null = null;
  const filled = text.replace(variablePattern, (_whole, key: string, fallback: string | undefined) => {
    const value = contactField(contact, key);
    if (value !== "") return value;
    if (fallback !== undefined) return fallback.trim();
    missing ??= key;
    return "";
  });
  return missing === null ? { ok: true, text: filled } : { ok: false, missing };
}

/**
 * Which text of `[body, ...variations]` a recipient gets: chosen by a hash of the campaign and
 * contact ids (FNV-1a), so a repeated send (after a crash, a retry) renders the same text.
 */
export function variationIndex(campaignId: string, contactId: string, count: number): number {
  if (count <= 1) return 0;
  let hash = 0x811c9dc5;
  for (const char of `${campaignId}:${contactId}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % count;
}

/**
 * The message `contact` receives from campaign `campaignId`. A template's variables are each a
 * contact field in `{{…}}` (with an optional fallback) or literal text; `templateBody`, when
 * known, is the approved body with `{{1}}`… that the chat shows filled in.
 */
export function renderCampaignMessage(campaignId: string, message: CampaignMessage, contact: RenderContact, templateBody: string | null = null): Rendered {
  if (message.template) {
    const variables: string[] = [];
    for (const variable of message.template.variables) {
      const filled = fillVariables(variable, contact);
      if (!filled.ok) return filled;
      if (filled.text.trim() === "") return { ok: false, missing: variable };
      variables.push(filled.text);
    }
    const template = { name: message.template.name, language: message.template.language, variables };
    const text = templateBody
      ? templateBody.replace(/\{\{\s*(\d+)\s*\}\}/g, (placeholder, position: string) => variables[Number(position) - 1] ?? placeholder)
      : [template.name, ...variables].join(" · ");
    return { ok: true, kind: "template", template, text };
  }
  const texts = [message.body ?? "", ...(message.variations ?? [])].filter((text) => text.trim() !== "");
  const chosen = texts[variationIndex(campaignId, contact.id, texts.length)] ?? "";
  const filled = fillVariables(chosen, contact);
  if (!filled.ok) return filled;
  return { ok: true, kind: "text", text: filled.text };
}
