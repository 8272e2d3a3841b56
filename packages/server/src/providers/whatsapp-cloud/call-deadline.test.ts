import { describe, expect, it } from "vitest";
import { startCallDeadline } from "./call-deadline.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("startCallDeadline", () => {
  it("aborts with a TimeoutError once the time is up", async () => {
    const deadline = startCallDeadline(20);
    expect(deadline.signal.aborted).toBe(false);
    await sleep(60);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBeInstanceOf(DOMException);
    expect((deadline.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("never aborts once ended, long after the time would have been up", async () => {
    const deadline = startCallDeadline(20);
    deadline.end();
    deadline.end();
    await sleep(60);
    expect(deadline.signal.aborted).toBe(false);
  });
});
