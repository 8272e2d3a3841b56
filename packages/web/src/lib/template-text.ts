/**
 * A WhatsApp template's body with its {{1}}, {{2}}… placeholders (Meta's template syntax): how
 * many variables it takes, and the text once they are filled.
 */
import { t } from "../i18n/index.ts";

/** Meta's template category (MARKETING, UTILITY, AUTHENTICATION) in the active language; another category as it comes. */
export function categoryLabel(category: string): string {
  const known = ["marketing", "utility", "authentication"] as const;
  const lower = category.toLowerCase();
  return known.find((name) => name === lower) ? t(`templates.categories.${lower as (typeof known)[number]}`) : category;
}

/** A piece of a template body for the live preview: plain text, or variable `index` (1-based) with its value ("" while empty). */
export type TemplatePart = { text: string; variable?: undefined } | { text: string; variable: number };

const placeholder = /\{\{\s*(\d+)\s*\}\}/g;

/** How many variables `template` takes: its declared count, or the highest {{n}} in the body if that is more. */
export function variableCount(template: { body: string; variable_count: number }): number {
  let highest = 0;
  for (const match of template.body.matchAll(placeholder)) highest = Math.max(highest, Number(match[1]));
  return Math.max(template.variable_count, highest);
}

/** `body` split into text and variables, each variable carrying its value from `variables` (index n-1). */
export function templateParts(body: string, variables: readonly string[]): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of body.matchAll(placeholder)) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index) });
    const index = Number(match[1]);
    parts.push({ text: variables[index - 1] ?? "", variable: index });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last) });
  return parts;
}

/** `body` with each {{n}} replaced by variables[n-1]; an empty or missing value keeps its {{n}}. */
export function fillTemplate(body: string, variables: readonly string[]): string {
  return templateParts(body, variables)
    .map((part) => (part.variable !== undefined && !part.text.trim() ? `{{${part.variable}}}` : part.text))
    .join("");
}
