/**
 * No words in a template bypass the dictionaries: every .vue file's template is scanned for text
 * nodes, user-visible attributes (placeholder, title, aria-label, alt, label…) and string literals in
 * interpolations that are written in a language instead of going through `t()`. What may stay
 * literal: symbols, numbers, and the few names on the allow-list (a brand is the same in every
 * language). Adding a visible English string therefore fails here until it is a dictionary key with
 * both translations (i18n.test.ts checks those).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const srcDir = dirname(dirname(fileURLToPath(import.meta.url)));

/** Words that are the same in every language: product and company names, file-format and API names. */
const allowedWords = new Set(["Parley", "ShareGPT", "WABA", "WhatsApp", "OpenStreetMap"]);
/** Attributes a person sees or hears (screen readers read aria-label and alt; browsers show title). */
const visibleAttributes = ["placeholder", "title", "aria-label", "alt", "label", "confirm-label", "subtitle", "message"];

function vueFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return vueFiles(path);
    return name.endsWith(".vue") ? [path] : [];
  });
}

/** The outermost <template> block of a single-file component. */
function templateOf(source: string): string {
  const start = source.indexOf("<template>");
  const end = source.lastIndexOf("</template>");
  return start < 0 || end < 0 ? "" : source.slice(start + "<template>".length, end);
}

/** True when `text` holds a word in some language that is not an allowed name. */
function hasWords(text: string): boolean {
  return (text.match(/\p{L}[\p{L}'’-]*/gu) ?? []).some((word) => !allowedWords.has(word));
}

/** Drops the keys passed to t()/tn()/$t() and keypath="…", which are identifiers, not text. */
function withoutKeys(expression: string): string {
  return expression.replace(/\$?\b(?:t|tn)\(\s*(["'`])[\w.${}\s]+\1/g, "t(KEY").replace(/\bkeypath="[^"]*"/g, "");
}

/**
 * String literals in an expression that read as words: with a space, or capitalised ("Reopen").
 * Lower-case single words are values compared against (`status === 'resolved'`), CSS classes or icon
 * names, not text.
 */
function wordyLiterals(expression: string): string[] {
  const literals = [...withoutKeys(expression).matchAll(/(["'`])((?:(?!\1).)*)\1/g)].map((match) => match[2]!.replace(/\$\{[^}]*\}/g, " "));
  return literals.filter((literal) => hasWords(literal) && !isClassList(literal) && (/\s\p{L}/u.test(literal.trim()) || /^\p{Lu}\p{Ll}/u.test(literal.trim())));
}

/** "bg-amber-50 text-amber-700": Tailwind classes, not words. */
function isClassList(literal: string): boolean {
  const tokens = literal.trim().split(/\s+/);
  return tokens.every((token) => /^[a-z0-9:[\]#./%()!_-]+$/.test(token)) && tokens.some((token) => /[-:[]/.test(token));
}

/** Every untranslated piece of text in one template, as "what: text". */
export function untranslated(template: string): string[] {
  const found: string[] = [];
  const withoutComments = template.replace(/<!--[\s\S]*?-->/g, "");
  for (const [, expression] of withoutComments.matchAll(/\{\{([\s\S]*?)\}\}/g)) {
    for (const literal of wordyLiterals(expression!)) found.push(`interpolation: ${literal}`);
  }
  // Attributes: static ones must not hold words; bound ones must not hold wordy literals.
  for (const match of withoutComments.matchAll(/\s(:|v-bind:)?([\w-]+)="([^"]*)"/g)) {
    const [, bound, name, value] = match;
    if (!visibleAttributes.includes(name!)) continue;
    if (bound) for (const literal of wordyLiterals(value!)) found.push(`:${name}: ${literal}`);
    else if (hasWords(value!) && !/^https?:\/\//.test(value!)) found.push(`${name}: ${value}`);
  }
  const text = withoutComments
    .replace(/\{\{[\s\S]*?\}\}/g, " ")
    .replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && hasWords(line));
  for (const line of text) found.push(`text: ${line}`);
  return found;
}

describe("templates", () => {
  it("show no words that bypass t() (text nodes, visible attributes, literals in interpolations)", () => {
    const offences = vueFiles(srcDir).flatMap((path) =>
      untranslated(templateOf(readFileSync(path, "utf8"))).map((what) => `${relative(srcDir, path)} → ${what}`),
    );
    expect(offences).toEqual([]);
  });

  it("catch each kind of untranslated text", () => {
    expect(untranslated(`<p>Loading…</p>`)).toEqual(["text: Loading…"]);
    expect(untranslated(`<input placeholder="Type a message" />`)).toEqual(["placeholder: Type a message"]);
    expect(untranslated(`<button :aria-label="open ? 'Close menu' : t('x.y')" />`)).toEqual([":aria-label: Close menu"]);
    expect(untranslated(`<span>{{ busy ? "Sending…" : t("composer.send") }}</span>`)).toEqual(["interpolation: Sending…"]);
    expect(untranslated(`<span :title="\`Edited \${date}\`" />`)).toEqual([":title: Edited  "]);
  });

  it("let through what is no text: keys, symbols, numbers, names, compared values", () => {
    expect(untranslated(`<p>{{ t("composer.placeholder") }} · 100% <b>Parley</b></p>`)).toEqual([]);
    expect(untranslated(`<i18n-t keypath="link.step2" tag="li"><strong>{{ t("a.b") }}</strong></i18n-t>`)).toEqual([]);
    expect(untranslated(`<span :class="status === 'pending' ? 'bg-amber-50 text-amber-700' : ''">{{ kind === "group" ? name : "" }}</span>`)).toEqual([]);
    expect(untranslated(`<button :aria-label="t('thread.contactInfo')" title="→" />`)).toEqual([]);
  });
});
