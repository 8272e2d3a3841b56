import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { jsonResponse, makeInbox } from "../../../testing/factories.ts";
import { useInboxesStore } from "./inboxes.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";

describe("inbox unread totals", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useInboxesStore().reset({ workspaceId, me: { id: "me", name: "Me" } });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("reads the counts again when one changed while a re-read was on its way, so a stale list does not stick", async () => {
    vi.useFakeTimers();
    const store = useInboxesStore();
    let answer!: (response: Response) => void;
    const fetch = vi.fn(() => new Promise<Response>((resolve) => (answer = resolve)));
    vi.stubGlobal("fetch", fetch);
    const reading = store.refresh();
    // The agent reads the conversation meanwhile: the count drops here, the server's list predates it.
    store.adjustUnread("i1", -1);
    answer(jsonResponse({ data: [makeInbox({ id: "i1", unread_count: 1 })] }));
    await reading;
    expect(store.totalUnread).toBe(1);
    await vi.advanceTimersByTimeAsync(300);
    expect(fetch).toHaveBeenCalledTimes(2);
    answer(jsonResponse({ data: [makeInbox({ id: "i1", unread_count: 0 })] }));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.totalUnread).toBe(0);
  });
});
