import { z } from "zod";
import type { ContactFilter } from "../../domain/ports.ts";

/**
 * The list's and the export's filter in a query string: `q`; `label`, comma-separated and/or
 * repeated (a contact must carry all of them); `opted_out` true or false.
 */
export const contactFilterQuery = z.object({
  q: z.string().max(200).optional(),
  label: z.union([z.string().max(500), z.array(z.string().max(500)).max(20)]).optional(),
  opted_out: z.enum(["true", "false"]).optional(),
});

/** The domain's ContactFilter from the parsed query. */
export function contactFilterOf(query: z.infer<typeof contactFilterQuery>): ContactFilter {
  const labels = [query.label ?? []]
    .flat()
    .flatMap((value) => value.split(","))
    .map((name) => name.trim())
    .filter((name) => name.length > 0);
  return {
    ...(query.q?.trim() ? { q: query.q } : {}),
    ...(labels.length > 0 ? { labels } : {}),
    ...(query.opted_out ? { optedOut: query.opted_out === "true" } : {}),
  };
}
