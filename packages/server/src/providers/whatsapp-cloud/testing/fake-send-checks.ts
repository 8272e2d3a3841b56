/**
 * What the fake Graph API checks in a `POST /{phone_number_id}/messages` body before accepting
 * it, as Meta does (Meta's "Messages" reference): a refused body gets error 100 (or a template
 * error), so a client that builds a wrong body fails its tests instead of passing them.
 */

/** An approved-or-not template the fake knows, Graph-shaped. */
export interface FakeTemplate {
  name: string;
  language: string;
  status: string;
  category: string;
  components: Array<{ type: string; text?: string; format?: string }>;
  id?: string;
}

/** Why a body was refused: the Graph code and Meta's details. */
export interface SendRefusal {
  code: number;
  details: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const MEDIA_TYPES = new Set(["image", "video", "audio", "document", "sticker"]);
const CAPTIONED = new Set(["image", "video", "document"]);

function checkMedia(type: string, media: Json, knownMediaIds: ReadonlySet<string>): SendRefusal | null {
  const hasId = typeof media.id === "string";
  const hasLink = typeof media.link === "string";
  if (hasId === hasLink) return { code: 100, details: `Param ${type} must have exactly one of id or link` };
  if (hasId && !knownMediaIds.has(media.id as string))
    return { code: 100, details: `Param ${type}['id'] is not a valid whatsapp business account media attachment ID` };
  if (hasLink && !/^https?:\/\//.test(media.link as string)) return { code: 100, details: `Param ${type}['link'] is not a valid URL` };
  if (media.caption !== undefined && !CAPTIONED.has(type)) return { code: 100, details: `Param ${type}['caption'] is not a valid parameter` };
  if (media.filename !== undefined && type !== "document") return { code: 100, details: `Param ${type}['filename'] is not a valid parameter` };
  if (media.voice !== undefined && type !== "audio") return { code: 100, details: `Param ${type}['voice'] is not a valid parameter` };
  return null;
}

function checkTemplate(template: Json, templates: readonly FakeTemplate[] | null): SendRefusal | null {
  const language = isObject(template.language) ? template.language.code : undefined;
  if (typeof template.name !== "string" || typeof language !== "string") return { code: 100, details: "Param template must have a name and language.code" };
  if (templates === null) return null;
  const known = templates.find((t) => t.name === template.name && t.language === language && t.status === "APPROVED");
  if (!known) return { code: 132001, details: `template name (${template.name}) does not exist in ${language}` };
  const body = known.components.find((c) => c.type === "BODY")?.text ?? "";
  const expected = new Set([...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((m) => m[1])).size;
  const components = Array.isArray(template.components) ? template.components.filter(isObject) : [];
  const bodyParameters = components.find((c) => c.type === "body")?.parameters;
  const given = Array.isArray(bodyParameters) ? bodyParameters.length : 0;
  if (given !== expected)
    return { code: 132000, details: `body: number of localizable_params (${given}) does not match the expected number of params (${expected})` };
  return null;
}

/**
 * Checks a message send as Meta would. `templates` null accepts any template name (no list
 * configured). Returns null when the body is acceptable.
 */
export function checkSendBody(body: unknown, knownMediaIds: ReadonlySet<string>, templates: readonly FakeTemplate[] | null): SendRefusal | null {
  if (!isObject(body)) return { code: 100, details: "The request body must be a JSON object" };
  if (body.messaging_product !== "whatsapp") return { code: 100, details: "The parameter messaging_product is required." };
  if (typeof body.to !== "string" || !/^\+?\d{6,15}$/.test(body.to)) return { code: 100, details: "Param to must be a WhatsApp phone number" };
  if (body.context !== undefined && !(isObject(body.context) && typeof body.context.message_id === "string")) {
    return { code: 100, details: "Param context['message_id'] must be a string" };
  }
  const type = body.type;
  if (typeof type !== "string") return { code: 100, details: "Param type is required" };
  const content = body[type];
  if (!isObject(content)) return { code: 100, details: `Param ${type} is required for a ${type} message` };
  if (type === "text") {
    if (typeof content.body !== "string" || content.body.length === 0) return { code: 100, details: "Param text['body'] is required" };
    if (content.body.length > 4096) return { code: 100, details: "Param text['body'] must be at most 4096 characters long" };
    return null;
  }
  if (MEDIA_TYPES.has(type)) return checkMedia(type, content, knownMediaIds);
  if (type === "template") return checkTemplate(content, templates);
  if (type === "reaction") {
    return typeof content.message_id === "string" && typeof content.emoji === "string"
      ? null
      : { code: 100, details: "Param reaction must have message_id and emoji" };
  }
  return { code: 100, details: `Param type (${type}) is not a supported message type` };
}
