import { DomainError } from "../errors.ts";

/** A reply inserted by shortcode; `content` may use `{{contact.name}}` and friends (variables.ts). */
export interface CannedResponse {
  id: string;
  workspaceId: string;
  shortcode: string;
  content: string;
  createdAt: Date;
  updatedAt: Date;
}

/** An entry of the workspace's label catalogue. Contacts and conversations carry label names. */
export interface Label {
  id: string;
  workspaceId: string;
  name: string;
  color: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A knowledge-base article. `language` is an ISO 639-1 code ("id", "en") or another short tag. */
export interface Article {
  id: string;
  workspaceId: string;
  title: string;
  body: string;
  language: string;
  createdAt: Date;
  updatedAt: Date;
}

const shortcodePattern = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * A shortcode as typed after `/` in the composer: lower-case letters, digits, `_` and `-`,
 * 1–32 characters, starting with a letter or digit. Returns it trimmed and lower-cased; throws
 * `canned.invalid_shortcode` otherwise.
 */
export function normaliseShortcode(input: string): string {
  const shortcode = input.trim().replace(/^\//, "").toLowerCase();
  if (!shortcodePattern.test(shortcode)) {
    throw new DomainError("canned.invalid_shortcode", "A shortcode is 1–32 lower-case letters, digits, '_' or '-', starting with a letter or digit.", {
      field: "shortcode",
    });
  }
  return shortcode;
}

/**
 * A label name: trimmed, inner whitespace collapsed, 1–50 characters, no commas (the list filter
 * takes comma-separated names). Throws `labels.invalid_name`.
 */
export function normaliseLabelName(input: string): string {
  const name = input.trim().replace(/\s+/g, " ");
  if (name.length === 0 || name.length > 50 || name.includes(",")) {
    throw new DomainError("labels.invalid_name", "A label name is 1–50 characters without commas.", { field: "name" });
  }
  return name;
}

/** The full-text search configuration for a language tag: PostgreSQL's `indonesian`, `english`, else `simple`. */
export function textSearchConfig(language: string | null | undefined): "indonesian" | "english" | "simple" {
  if (language === "id" || language === "ind") return "indonesian";
  if (language === "en" || language === "eng") return "english";
  return "simple";
}
