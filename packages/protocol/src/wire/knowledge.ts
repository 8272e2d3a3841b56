/** Canned responses, labels and knowledge-base articles (issue 9, parts 3 and 4). */
import { z } from "zod";
import { isoTime } from "./common.ts";

/** A reply inserted by typing `/shortcode`; `content` may hold `{{contact.name}}`. */
export const cannedResponseSchema = z.object({
  id: z.string(),
  shortcode: z.string(),
  content: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
});
export type ApiCannedResponse = z.infer<typeof cannedResponseSchema>;

/** Creating one: the shortcode is 1–32 of `a-z 0-9 _ -` (a leading `/` and capitals are forgiven). */
export const cannedResponseRequestSchema = z.object({
  shortcode: z.string().max(64),
  content: z.string().trim().min(1).max(4096),
});

/** An entry of the workspace's label catalogue; contacts and conversations carry label names. */
export const labelSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string(),
  created_at: isoTime,
});
export type ApiLabel = z.infer<typeof labelSchema>;

export const labelRequestSchema = z.object({
  name: z.string().max(100),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "a colour is #rrggbb")
    .optional(),
});

/** Replacing the labels of a conversation or a contact: names from the catalogue. */
export const labelsAssignmentSchema = z.object({ labels: z.array(z.string().max(100)).max(50) });

/** A knowledge-base article; `language` is "id", "en" or another short tag (full-text search by it). */
export const articleSchema = z.object({
  id: z.string(),
  title: z.string(),
  body: z.string(),
  language: z.string(),
  created_at: isoTime,
  updated_at: isoTime,
});
export type ApiArticle = z.infer<typeof articleSchema>;

export const articleRequestSchema = z.object({
  title: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(100_000),
  language: z
    .string()
    .regex(/^[a-z]{2,3}$/, "a language is an ISO 639 code such as id or en")
    .default("en"),
});
