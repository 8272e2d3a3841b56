/**
 * A workspace's settings (issue 10), kept in `workspaces.settings` beside other keys: the default
 * country of phone numbers written without a `+`, the time zone campaigns are scheduled in, and
 * the keywords by which a customer leaves (or rejoins) campaigns.
 */
import { isSupportedCountry } from "libphonenumber-js/max";
import type { CountryCode } from "../contacts/phone.ts";
import { DomainError } from "../errors.ts";

export interface WorkspaceSettings {
  /** ISO 3166-1 alpha-2, one libphonenumber-js knows (it has every country with a phone plan). */
  country: CountryCode;
  /** An IANA time zone name the runtime's Intl knows ("Asia/Jakarta"). */
  timeZone: string;
  /** As the admin wrote them; matching normalises both sides (opt-out.ts). */
  optOutKeywords: string[];
  optInKeywords: string[];
  /** Sent back on an opt-out; null sends nothing. */
  optOutReply: string | null;
}

/** Parley was first run for Indonesian shops: Indonesian numbers and Jakarta time unless changed. */
export const defaultWorkspaceSettings: WorkspaceSettings = {
  country: "ID",
  timeZone: "Asia/Jakarta",
  optOutKeywords: ["STOP", "BERHENTI", "UNSUBSCRIBE"],
  optInKeywords: ["START", "MULAI"],
  optOutReply:
    "Anda tidak akan menerima pesan promosi lagi. Balas MULAI untuk berlangganan kembali. / You will no longer receive promotional messages. Reply START to subscribe again.",
};

/** A change to the settings: absent fields stay as they are. */
export type WorkspaceSettingsChange = Partial<Omit<WorkspaceSettings, "country"> & { country: string }>;

/** The JSON keys under which each setting is stored in `workspaces.settings`. */
const storedKeys = {
  country: "country",
  timeZone: "time_zone",
  optOutKeywords: "opt_out_keywords",
  optInKeywords: "opt_in_keywords",
  optOutReply: "opt_out_reply",
} as const satisfies Record<keyof WorkspaceSettings, string>;

/**
 * The settings in a stored `workspaces.settings` object, defaults for what is missing or not
 * valid any more (a time zone the runtime dropped), so a read never fails.
 */
export function readWorkspaceSettings(stored: Record<string, unknown>): WorkspaceSettings {
  const text = (key: string) => (typeof stored[key] === "string" ? (stored[key] as string) : undefined);
  const list = (key: string) => (Array.isArray(stored[key]) && stored[key].every((item) => typeof item === "string") ? (stored[key] as string[]) : undefined);
  const country = text(storedKeys.country);
  const timeZone = text(storedKeys.timeZone);
  const reply = stored[storedKeys.optOutReply];
  return {
    country: country && isSupportedCountry(country) ? country : defaultWorkspaceSettings.country,
    timeZone: timeZone && isTimeZone(timeZone) ? timeZone : defaultWorkspaceSettings.timeZone,
    optOutKeywords: list(storedKeys.optOutKeywords) ?? defaultWorkspaceSettings.optOutKeywords,
    optInKeywords: list(storedKeys.optInKeywords) ?? defaultWorkspaceSettings.optInKeywords,
    optOutReply: reply === null ? null : typeof reply === "string" ? reply : defaultWorkspaceSettings.optOutReply,
  };
}

/**
 * The stored form of `change` (only its keys), validated: throws `workspaces.invalid_settings`
 * (422, with the field) for a country libphonenumber-js does not know, a time zone Intl does not
 * know, or a keyword that is in both the opt-out and the opt-in list.
 */
export function storedWorkspaceSettings(current: WorkspaceSettings, change: WorkspaceSettingsChange): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  if (change.country !== undefined) {
    const country = change.country.toUpperCase();
    if (!isSupportedCountry(country)) {
      throw new DomainError("workspaces.invalid_settings", `"${change.country}" is not an ISO 3166-1 alpha-2 country code with a phone numbering plan.`, {
        field: "country",
      });
    }
    stored[storedKeys.country] = country;
  }
  if (change.timeZone !== undefined) {
    if (!isTimeZone(change.timeZone)) {
      throw new DomainError("workspaces.invalid_settings", `"${change.timeZone}" is not an IANA time zone (e.g. Asia/Jakarta).`, { field: "time_zone" });
    }
    stored[storedKeys.timeZone] = change.timeZone;
  }
  const optOut = change.optOutKeywords ?? current.optOutKeywords;
  const optIn = change.optInKeywords ?? current.optInKeywords;
  const clash = optOut.find((keyword) => optIn.some((other) => keywordKey(other) === keywordKey(keyword)));
  if (clash !== undefined) {
    const field = change.optInKeywords ? "opt_in_keywords" : "opt_out_keywords";
    throw new DomainError("workspaces.invalid_settings", `"${clash}" cannot both opt a contact out and back in.`, { field });
  }
  if (change.optOutKeywords !== undefined) stored[storedKeys.optOutKeywords] = dedupe(change.optOutKeywords);
  if (change.optInKeywords !== undefined) stored[storedKeys.optInKeywords] = dedupe(change.optInKeywords);
  if (change.optOutReply !== undefined) stored[storedKeys.optOutReply] = change.optOutReply;
  return stored;
}

/**
 * A message or keyword reduced to what opt-out matching compares: accents removed (Unicode NFD,
 * combining marks dropped), case folded, punctuation and symbols dropped, whitespace collapsed.
 * "Berhenti." and "  berhentí!" both give "berhenti".
 */
export function keywordKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

function dedupe(keywords: string[]): string[] {
  const seen = new Set<string>();
  return keywords.filter((keyword) => {
    const key = keywordKey(keyword);
    if (key.length === 0 || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** True for a zone name `Intl.DateTimeFormat` accepts (IANA names and their aliases, e.g. "UTC"). */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
