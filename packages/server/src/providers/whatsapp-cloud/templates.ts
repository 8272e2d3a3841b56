import type { ProviderTemplate } from "../../domain/providers/provider.ts";
/**
 * Message templates as `GET {graph}/{waba_id}/message_templates` returns them (Meta's "Message
 * templates" reference), reduced to what the composer's template picker needs.
 */
import { z } from "zod";

/** One template as the Graph API lists it; unknown fields are dropped. */
export const graphTemplateSchema = z.object({
  name: z.string(),
  language: z.string(),
  status: z.string(),
  category: z.string().optional(),
  components: z.array(z.object({ type: z.string(), text: z.string().optional() })).optional(),
});

/** One page of the listing: `{data, paging: {cursors, next?}}`. */
export const templatePageSchema = z.object({
  data: z.array(graphTemplateSchema),
  paging: z.object({ next: z.string().optional() }).optional(),
});

/** An approved template, for the picker and for `POST …/messages {template}` (see ProviderTemplate). */
export type TemplateSummary = ProviderTemplate;

/** Counts the distinct `{{n}}` placeholders of a template body (`{{1}} and {{1}}` is one). */
export function countTemplateVariables(body: string): number {
  return new Set([...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((match) => match[1])).size;
}

/** Keeps the APPROVED templates and summarises them, in Meta's order. */
export function summariseApprovedTemplates(templates: ReadonlyArray<z.output<typeof graphTemplateSchema>>): TemplateSummary[] {
  return templates
    .filter((template) => template.status === "APPROVED")
    .map((template) => {
      const body = template.components?.find((component) => component.type.toUpperCase() === "BODY")?.text ?? "";
      return {
        name: template.name,
        language: template.language,
        status: template.status,
        category: template.category ?? "",
        body,
        variableCount: countTemplateVariables(body),
      };
    });
}
