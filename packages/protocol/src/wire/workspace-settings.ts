/**
 * A workspace's settings (`GET/PATCH /workspaces/{id}/settings`, issue 10): the country phone
 * numbers without a `+` are read in, the time zone campaigns are scheduled in, and the keywords a
 * customer writes to stop (or restart) campaign messages.
 */
import { z } from "zod";

/** Most keywords in each list, and longest keyword, in characters. */
export const maxOptKeywords = 20;
export const maxOptKeywordLength = 30;
/** Longest opt-out reply, in characters (a WhatsApp text message takes 4,096). */
export const maxOptOutReplyLength = 1000;

const keywordList = z.array(z.string().trim().min(1).max(maxOptKeywordLength)).max(maxOptKeywords);

/**
 * - `country`: ISO 3166-1 alpha-2 ("ID"), the default country of national numbers (CSV imports).
 * - `time_zone`: an IANA zone ("Asia/Jakarta"), in which campaigns are scheduled.
 * - `opt_out_keywords`: a customer's whole message equal to one of these (case, accents and
 *   punctuation ignored) opts them out of campaigns; `opt_in_keywords` opts them back in.
 * - `opt_out_reply`: the text sent back on an opt-out, or null to send nothing.
 */
export const workspaceSettingsSchema = z.object({
  country: z.string(),
  time_zone: z.string(),
  opt_out_keywords: z.array(z.string()),
  opt_in_keywords: z.array(z.string()),
  opt_out_reply: z.string().nullable(),
});
export type ApiWorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

/** `PATCH /workspaces/{id}/settings`: any subset; an unknown country or time zone answers 422. */
export const workspaceSettingsChangeSchema = z
  .object({
    country: z.string().trim().min(2).max(2),
    time_zone: z.string().trim().min(1).max(64),
    opt_out_keywords: keywordList,
    opt_in_keywords: keywordList,
    opt_out_reply: z.string().trim().min(1).max(maxOptOutReplyLength).nullable(),
  })
  .partial()
  .strict();
export type ApiWorkspaceSettingsChange = z.infer<typeof workspaceSettingsChangeSchema>;
