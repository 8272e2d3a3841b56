import { describe, expect, it } from "vitest";
import { encodeChannelEvent, parseClientFrame, readObjectData } from "./frames.ts";

describe("parseClientFrame", () => {
  it("parses a frame", () => {
    expect(parseClientFrame('{"event":"pusher:subscribe","data":{"channel":"a"}}')).toEqual({
      ok: true,
      frame: { event: "pusher:subscribe", data: { channel: "a" } },
    });
  });

  it.each(["{", "[]", "null", "42", '"x"', "{}", '{"event":3}', '{"event":""}', '{"event":"e","channel":1}'])("refuses %s", (text) => {
    expect(parseClientFrame(text).ok).toBe(false);
  });
});

describe("readObjectData", () => {
  it("reads objects and JSON strings holding objects", () => {
    expect(readObjectData({ channel: "a" })).toEqual({ channel: "a" });
    expect(readObjectData('{"channel":"a"}')).toEqual({ channel: "a" });
    expect(readObjectData("nope")).toBeNull();
    expect(readObjectData([1])).toBeNull();
    expect(readObjectData(undefined)).toBeNull();
  });
});

describe("encodeChannelEvent", () => {
  it("produces the same JSON as JSON.stringify with data double-encoded", () => {
    const data = JSON.stringify({ text: 'he said "hi"\n' });
    const frame = encodeChannelEvent("message.sent", "private-a", JSON.stringify(data));
    expect(JSON.parse(frame)).toEqual({ event: "message.sent", channel: "private-a", data });
    expect(frame).toBe(JSON.stringify({ event: "message.sent", channel: "private-a", data }));
  });

  it("adds user_id for presence client events", () => {
    const frame = encodeChannelEvent("client-typing", "presence-a", JSON.stringify("{}"), "u1");
    expect(JSON.parse(frame)).toEqual({ event: "client-typing", channel: "presence-a", data: "{}", user_id: "u1" });
  });
});
