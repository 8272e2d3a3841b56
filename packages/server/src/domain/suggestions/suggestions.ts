/** A suggested reply and where it came from. */
export interface Suggestion {
  text: string;
  source: { type: "canned_response" | "article" | "past_reply" | "llm"; id?: string };
  /** 0..1, best first. */
  score: number;
}

/** What an engine is asked: the customer's latest turn and who they are. */
export interface SuggestionRequest {
  workspaceId: string;
  conversationId: string;
  /** The customer's latest messages (the unanswered turn, or the last inbound message), oldest first. */
  customerText: string;
  /** "id", "en" or null when unknown (the enrichment's language). */
  language: string | null;
  contact: { name: string | null; phone: string | null };
  agent: { name: string };
}

/** An engine's answer: suggested replies and the articles it drew on. */
export interface SuggestionAnswer {
  engine: "offline" | "llm";
  suggestions: Suggestion[];
  articles: { id: string; title: string; score: number }[];
}

/** One port, two engines (offline full-text search; an OpenAI-compatible LLM). */
export interface SuggestionEngine {
  suggest(request: SuggestionRequest): Promise<SuggestionAnswer>;
}

/**
 * Fills `{{contact.name}}`, `{{contact.first_name}}`, `{{contact.phone}}` and `{{agent.name}}`
 * (spaces inside the braces allowed); an unknown value leaves nothing behind, and unknown
 * variables are left as written.
 */
export function fillVariables(template: string, values: { contact: { name: string | null; phone: string | null }; agent: { name: string } }): string {
  const known: Record<string, string> = {
    "contact.name": values.contact.name ?? "",
    "contact.first_name": values.contact.name?.split(/\s+/)[0] ?? "",
    "contact.phone": values.contact.phone ?? "",
    "agent.name": values.agent.name,
  };
  return template
    .replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, name: string) => known[name] ?? whole)
    .replace(/ +([,.!?])/g, "$1")
    .replace(/ {2,}/g, " ")
    .trim();
}
