import type { SuggestionAnswer, SuggestionEngine, SuggestionRequest } from "./suggestions.ts";

/**
 * `primary` (the LLM), answered by `fallback` (offline) when it throws or has not answered
 * within `timeoutMs`. The offline answer is computed alongside, so a late LLM costs the
 * timeout and nothing more; `onFallback` hears why (the error, or "timeout").
 */
export function fallbackEngine(
  primary: SuggestionEngine,
  fallback: SuggestionEngine,
  options: { timeoutMs: number; onFallback?: (reason: unknown) => void },
): SuggestionEngine {
  return {
    async suggest(request: SuggestionRequest): Promise<SuggestionAnswer> {
      const offline = fallback.suggest(request);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), options.timeoutMs);
      });
      try {
        const answer = await Promise.race([primary.suggest(request), late]);
        if (answer !== "timeout") return answer;
        options.onFallback?.("timeout");
      } catch (error) {
        options.onFallback?.(error);
      } finally {
        clearTimeout(timer);
      }
      return offline;
    },
  };
}
