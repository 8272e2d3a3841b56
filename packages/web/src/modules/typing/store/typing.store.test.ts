import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTypingStore } from "./typing.store.ts";

describe("typing indicator state", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    setActivePinia(createPinia());
  });
  afterEach(() => vi.useRealTimers());

  it("shows who is typing and clears itself 3 seconds after the last notice", () => {
    const typing = useTypingStore();
    typing.set("c1", { key: "contact", name: "Ana", type: "contact" }, true);
    expect(typing.label("c1")).toBe("Ana is typing…");
    vi.advanceTimersByTime(2500);
    typing.set("c1", { key: "contact", name: "Ana", type: "contact" }, true); // still typing: renewed
    vi.advanceTimersByTime(2500);
    expect(typing.label("c1")).toBe("Ana is typing…");
    vi.advanceTimersByTime(600);
    expect(typing.label("c1")).toBeNull();
  });

  it("names two typists and clears one at once when they stop or their message arrives", () => {
    const typing = useTypingStore();
    typing.set("c1", { key: "contact", name: "Ana", type: "contact" }, true);
    typing.set("c1", { key: "agent:Bo", name: "Bo", type: "agent" }, true);
    expect(typing.label("c1")).toBe("Ana and Bo are typing…");
    typing.set("c1", { key: "agent:Bo", name: "Bo", type: "agent" }, false);
    expect(typing.label("c1")).toBe("Ana is typing…");
    typing.clearType("c1", "contact");
    expect(typing.label("c1")).toBeNull();
    expect(typing.label("other")).toBeNull();
  });
});
