/**
 * The WhatsApp Cloud API inbox form: what the admin types, the checks made before anything is
 * sent, and the request body. Meta's ids (phone number id, WhatsApp Business Account id) are
 * numeric strings; the Graph API base URL is optional and defaults server-side.
 */
import type { NewCloudInbox } from "../api/settings.api.ts";
import { t } from "../../../i18n/index.ts";

export interface CloudInboxForm {
  name: string;
  phoneNumberId: string;
  wabaId: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphBaseUrl: string;
}

export type CloudInboxField = keyof CloudInboxForm;
export type CloudInboxErrors = Partial<Record<CloudInboxField, string>>;

export function emptyCloudInboxForm(): CloudInboxForm {
  return { name: "", phoneNumberId: "", wabaId: "", accessToken: "", appSecret: "", verifyToken: "", graphBaseUrl: "" };
}

const digits = /^\d+$/;
const whitespace = /\s/;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** The problems with `form`, by field (empty when it can be sent). */
export function validateCloudInbox(form: CloudInboxForm): CloudInboxErrors {
  const errors: CloudInboxErrors = {};
  const name = form.name.trim();
  if (!name) errors.name = t("cloudValidation.nameRequired");
  else if (name.length > 120) errors.name = t("cloudValidation.tooLong", { max: 120 });
  const id = (value: string, label: string) => {
    const trimmed = value.trim();
    if (!trimmed) return t("cloudValidation.enter", { label });
    if (!digits.test(trimmed)) return t("cloudValidation.digitsOnly", { label });
    return undefined;
  };
  const phone = id(form.phoneNumberId, t("cloudValidation.fields.phoneNumberId"));
  if (phone) errors.phoneNumberId = phone;
  const waba = id(form.wabaId, t("cloudValidation.fields.wabaId"));
  if (waba) errors.wabaId = waba;
  const secret = (value: string, label: string) => {
    const trimmed = value.trim();
    if (!trimmed) return t("cloudValidation.enter", { label });
    if (whitespace.test(trimmed)) return t("cloudValidation.noSpaces", { label });
    return undefined;
  };
  const token = secret(form.accessToken, t("cloudValidation.fields.accessToken"));
  if (token) errors.accessToken = token;
  const appSecret = secret(form.appSecret, t("cloudValidation.fields.appSecret"));
  if (appSecret) errors.appSecret = appSecret;
  const verify = secret(form.verifyToken, t("cloudValidation.fields.verifyToken"));
  if (verify) errors.verifyToken = verify;
  else if (form.verifyToken.trim().length > 200) errors.verifyToken = t("cloudValidation.tooLong", { max: 200 });
  const base = form.graphBaseUrl.trim();
  if (base && !isHttpUrl(base)) errors.graphBaseUrl = t("cloudValidation.fullUrl", { example: "https://graph.facebook.com/v25.0" });
  return errors;
}

/** The `POST .../inboxes` body for a valid `form` (values trimmed, the optional base URL left out when empty). */
export function cloudInboxPayload(form: CloudInboxForm): NewCloudInbox {
  const base = form.graphBaseUrl.trim().replace(/\/+$/, "");
  return {
    name: form.name.trim(),
    provider: "whatsapp_cloud",
    config: {
      phone_number_id: form.phoneNumberId.trim(),
      waba_id: form.wabaId.trim(),
      access_token: form.accessToken.trim(),
      app_secret: form.appSecret.trim(),
      verify_token: form.verifyToken.trim(),
      ...(base ? { graph_base_url: base } : {}),
    },
  };
}

const serverFields: Record<string, CloudInboxField> = {
  name: "name",
  phone_number_id: "phoneNumberId",
  waba_id: "wabaId",
  access_token: "accessToken",
  app_secret: "appSecret",
  verify_token: "verifyToken",
  graph_base_url: "graphBaseUrl",
};

/** The form field a server error's `field` names ("config.phone_number_id", "/config/waba_id", "name"…), or null. */
export function formFieldOf(serverField: string | undefined): CloudInboxField | null {
  if (!serverField) return null;
  const last =
    serverField
      .split(/[./[\]]/)
      .filter(Boolean)
      .pop() ?? "";
  return serverFields[last] ?? null;
}

/** A random verify token (32 hex characters) for the admin to paste into Meta's dashboard too. */
export function randomVerifyToken(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
