import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import { Connection } from "./connection.ts";

function fakeSocket(bufferedAmount = 0) {
  const sent: unknown[] = [];
  const socket = {
    readyState: 1,
    bufferedAmount,
    terminated: false,
    send(data: unknown) {
      sent.push(data);
    },
    terminate() {
      this.terminated = true;
    },
    close() {},
  };
  return { socket, sent };
}

function connection(socket: object, maxBufferedBytes = 100) {
  const slow: Connection[] = [];
  let out = 0;
  const conn = new Connection(
    "1.1",
    socket as unknown as WebSocket,
    {
      logger: pino({ level: "silent" }),
      maxBufferedBytes,
      messagesOut: { inc: () => void out++ },
      onSlowConsumer: (c) => slow.push(c),
    },
    "127.0.0.1",
  );
  return { conn, slow, out: () => out };
}

describe("Connection.write", () => {
  it("writes while the buffer stays within maxBufferedBytes; counts what it sends alone, not broadcasts (the fan-out counts those)", () => {
    const { socket, sent } = fakeSocket(50);
    const { conn, out } = connection(socket);
    expect(conn.write(Buffer.alloc(50))).toBe(true);
    expect(out()).toBe(0);
    expect(conn.sendEncoded('{"event":"e"}')).toBe(true);
    expect(sent).toHaveLength(2);
    expect(out()).toBe(1);
  });

  it("terminates a slow consumer instead of buffering past the bound, once", () => {
    const { socket, sent } = fakeSocket(60);
    const { conn, slow } = connection(socket);
    expect(conn.write(Buffer.alloc(41))).toBe(false);
    expect(conn.write(Buffer.alloc(1))).toBe(false);
    expect(sent).toHaveLength(0);
    expect(socket.terminated).toBe(true);
    expect(slow).toEqual([conn]);
    expect(conn.state).toBe("closing");
  });
});

describe("Connection.run", () => {
  it("runs tasks in order even when one awaits", async () => {
    const { socket } = fakeSocket();
    const { conn } = connection(socket);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    conn.run(async () => {
      order.push("a:start");
      await gate;
      order.push("a:end");
    });
    conn.run(() => void order.push("b"));
    expect(order).toEqual(["a:start"]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(["a:start", "a:end", "b"]);
  });

  it("reports a failing task with pusher:error and goes on", () => {
    const { socket, sent } = fakeSocket();
    const { conn } = connection(socket);
    const order: string[] = [];
    conn.run(() => {
      throw new Error("boom");
    });
    conn.run(() => void order.push("next"));
    expect(JSON.parse(String(sent[0]))).toEqual({ event: "pusher:error", data: { message: "Internal server error" } });
    expect(order).toEqual(["next"]);
  });
});
