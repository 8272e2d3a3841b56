import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../domain/whatsapp-web/engine.ts";
import { SessionEventQueue } from "./session-event-queue.ts";

const ack = (messageId: string): EngineEvent => ({ type: "ack", chat: "6281200000001@s.whatsapp.net", messageId, status: "delivered", at: new Date(0) });
const qr = (code: string): EngineEvent => ({ type: "qr", code });
const label = (event: EngineEvent) => (event.type === "ack" ? event.messageId : event.type === "qr" ? `qr ${event.code}` : event.type);

/** A queue whose steps are recorded (as labels) once handled; `failOn` makes the step holding that label throw. */
function recordingQueue(failOn?: string) {
  const steps: string[][] = [];
  const failures: string[][] = [];
  const queue = new SessionEventQueue(
    async (events) => {
      const labels = events.map(label);
      if (failOn && labels.includes(failOn)) throw new Error("the database is down");
      steps.push(labels);
    },
    (_error, events) => failures.push(events.map(label)),
  );
  /** Resolves once everything pushed so far was handled (a last event marks the end). */
  const settled = async () => {
    queue.push(qr("end"));
    while (steps.at(-1)?.[0] !== "qr end") await new Promise((resolve) => setImmediate(resolve));
  };
  return { queue, steps, failures, settled };
}

describe("a WhatsApp session's event queue", () => {
  it("takes acks reported together in one step, in order, and other events alone between them", async () => {
    const { queue, steps, settled } = recordingQueue();
    for (const event of [ack("A"), ack("B"), qr("1"), ack("C"), ack("D"), ack("E")]) queue.push(event);
    await settled();
    expect(steps).toEqual([["A", "B"], ["qr 1"], ["C", "D", "E"], ["qr end"]]);
  });

  it("gives acks reported after a step began a step of their own, after it", async () => {
    const { queue, steps, settled } = recordingQueue();
    queue.push(ack("A"));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    queue.push(ack("B"));
    await settled();
    expect(steps).toEqual([["A"], ["B"], ["qr end"]]);
  });

  it("goes on after a step that failed, reporting it", async () => {
    const { queue, steps, failures, settled } = recordingQueue("A");
    queue.push(ack("A"));
    queue.push(qr("1"));
    await settled();
    expect(failures).toEqual([["A"]]);
    expect(steps).toEqual([["qr 1"], ["qr end"]]);
  });
});
