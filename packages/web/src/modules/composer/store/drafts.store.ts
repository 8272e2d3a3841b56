import { defineStore } from "pinia";
import { shallowReactive } from "vue";
import { type Attachment, startAttachment } from "../../../lib/attachment.ts";
import type { ThreadMessage } from "../../../lib/types.ts";
import type { WorkspaceScope } from "../../../lib/workspace-scope.ts";
import { mediaApi } from "../api/media.api.ts";

const storageKey = (workspaceId: string) => `parley.drafts.${workspaceId}`;

/**
 * Unsent text, the quoted message and the attachment per conversation, so switching
 * conversations (or reloading the tab) keeps what the agent was writing. Texts persist in
 * localStorage per workspace (the one of its scope, `reset(scope)`); attachments live as long as
 * the tab.
 */
export const useDraftsStore = defineStore("drafts", () => {
  let scope: WorkspaceScope | null = null;
  const texts = shallowReactive(new Map<string, string>());
  const replies = shallowReactive(new Map<string, ThreadMessage>());
  const attachments = shallowReactive(new Map<string, Attachment>());
  let loadedFor: string | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;

  function ensureLoaded(): void {
    const workspaceId = scope?.workspaceId;
    if (!workspaceId || loadedFor === workspaceId) return;
    loadedFor = workspaceId;
    texts.clear();
    replies.clear();
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey(workspaceId)) ?? "{}") as Record<string, string>;
      for (const [id, text] of Object.entries(saved)) if (typeof text === "string" && text) texts.set(id, text);
    } catch {
      // A damaged entry only loses drafts.
    }
  }

  function save(): void {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => {
      if (!loadedFor) return;
      try {
        localStorage.setItem(storageKey(loadedFor), JSON.stringify(Object.fromEntries(texts)));
      } catch {
        // Storage full or unavailable: drafts still live for this tab.
      }
    }, 300);
  }

  function text(conversationId: string): string {
    ensureLoaded();
    return texts.get(conversationId) ?? "";
  }

  function setText(conversationId: string, value: string): void {
    ensureLoaded();
    if (value) texts.set(conversationId, value);
    else texts.delete(conversationId);
    save();
  }

  /**
   * Puts `addition` in the conversation's draft for the agent to edit (a suggested reply): the
   * draft becomes it when empty, else it follows the draft on a new line. Nothing is sent.
   */
  function insertText(conversationId: string, addition: string): void {
    const current = text(conversationId).trimEnd();
    setText(conversationId, current ? `${current}\n${addition}` : addition);
  }

  function replyTo(conversationId: string): ThreadMessage | null {
    return replies.get(conversationId) ?? null;
  }

  function setReplyTo(conversationId: string, message: ThreadMessage | null): void {
    if (message) replies.set(conversationId, message);
    else replies.delete(conversationId);
  }

  function attachment(conversationId: string): Attachment | null {
    return attachments.get(conversationId) ?? null;
  }

  /** Sets (or clears) the conversation's attachment; one it replaces is cancelled unless `keepPrevious` (it was sent). */
  function setAttachment(conversationId: string, next: Attachment | null, keepPrevious = false): void {
    const previous = attachments.get(conversationId);
    if (previous && previous !== next && !keepPrevious) previous.cancel();
    if (next) attachments.set(conversationId, next);
    else attachments.delete(conversationId);
  }

  /**
   * Starts uploading `file` to the workspace's media at once (see lib/attachment.ts) and makes it
   * the conversation's attachment, replacing (and cancelling) any earlier one.
   */
  function attach(conversationId: string, file: File): Attachment {
    const workspaceId = scope?.workspaceId ?? "";
    const next = startAttachment(file, (blob, options) => mediaApi.upload(workspaceId, blob, options));
    setAttachment(conversationId, next);
    return next;
  }

  /** Works in `next`'s workspace from now on; its saved texts load on first use. */
  function reset(next: WorkspaceScope | null = null): void {
    scope = next;
  }

  return { text, setText, insertText, replyTo, setReplyTo, attachment, setAttachment, attach, reset };
});
