import { defineStore } from "pinia";
import { shallowReactive } from "vue";
import { t } from "../../../i18n/index.ts";

/** Someone typing in a conversation. `key` identifies them ("contact", "agent:Maria"). */
export interface Typist {
  key: string;
  name: string;
  type: "contact" | "agent";
}

/** How long a typing notice lasts without a refresh, in ms (senders repeat it while typing). */
export const typingTimeoutMs = 3000;

/**
 * Who is typing where. Each notice clears itself after 3 s unless renewed, so a lost "stopped
 * typing" (or a closed tab) never leaves "is typing…" on screen.
 */
export const useTypingStore = defineStore("typing", () => {
  const byConversation = shallowReactive(new Map<string, readonly Typist[]>());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  function remove(conversationId: string, key: string): void {
    const timer = timers.get(`${conversationId}|${key}`);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(`${conversationId}|${key}`);
    const current = byConversation.get(conversationId) ?? [];
    const next = current.filter((typist) => typist.key !== key);
    if (next.length === current.length) return;
    if (next.length) byConversation.set(conversationId, next);
    else byConversation.delete(conversationId);
  }

  /** Records a typing notice (`isTyping` false removes it at once). */
  function set(conversationId: string, typist: Typist, isTyping: boolean): void {
    if (!isTyping) {
      remove(conversationId, typist.key);
      return;
    }
    const timerKey = `${conversationId}|${typist.key}`;
    clearTimeout(timers.get(timerKey));
    timers.set(
      timerKey,
      setTimeout(() => remove(conversationId, typist.key), typingTimeoutMs),
    );
    const current = byConversation.get(conversationId) ?? [];
    if (!current.some((existing) => existing.key === typist.key && existing.name === typist.name)) {
      byConversation.set(conversationId, [...current.filter((existing) => existing.key !== typist.key), typist]);
    }
  }

  /** Clears every notice of one kind in a conversation (their message has just arrived). */
  function clearType(conversationId: string, type: Typist["type"]): void {
    for (const typist of byConversation.get(conversationId) ?? []) if (typist.type === type) remove(conversationId, typist.key);
  }

  /** "Ana is typing…", "Ana and Bo are typing…", or null. */
  function label(conversationId: string): string | null {
    const typists = byConversation.get(conversationId);
    if (!typists?.length) return null;
    const names = typists.map((typist) => typist.name);
    if (names.length === 1) return t("typing.one", { name: names[0] });
    if (names.length === 2) return t("typing.two", { first: names[0], second: names[1] });
    return t("typing.many", { count: names.length });
  }

  function reset(): void {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
    byConversation.clear();
  }

  return { byConversation, set, clearType, label, reset };
});
