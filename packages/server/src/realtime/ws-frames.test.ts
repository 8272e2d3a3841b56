import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { directSocket, sharedTextFrame, textFrame, unsentBytes, writeTextFrame } from "./ws-frames.ts";

const servers: WebSocketServer[] = [];
const clients: WebSocket[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A ws server (permessage-deflate off, as RealtimeServer sets it) and one client of it. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket; received: string[] }> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false });
  servers.push(wss);
  await once(wss, "listening");
  const accepted = once(wss, "connection");
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  clients.push(client);
  const received: string[] = [];
  client.on("message", (data, isBinary) => received.push(isBinary ? "(binary)" : data.toString()));
  const [server] = (await accepted) as [WebSocket];
  await once(client, "open");
  return { server, client, received };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe("textFrame", () => {
  it.each([
    [0, [0x81, 0]],
    [125, [0x81, 125]],
    [126, [0x81, 126, 0, 126]],
    [65_535, [0x81, 126, 0xff, 0xff]],
    [65_536, [0x81, 127, 0, 0, 0, 0, 0, 1, 0, 0]],
  ])("frames %i bytes as one unmasked final text frame", (length, header) => {
    const payload = Buffer.alloc(length, "a");
    const frame = textFrame(payload);
    expect([...frame.subarray(0, header.length)]).toEqual(header);
    expect(frame.subarray(header.length).equals(payload)).toBe(true);
  });

  it("frames a shared payload once: the same Buffer for every socket", () => {
    const payload = Buffer.from('{"event":"e"}');
    expect(sharedTextFrame(payload)).toBe(sharedTextFrame(payload));
    expect(sharedTextFrame(Buffer.from('{"event":"e"}'))).not.toBe(sharedTextFrame(payload));
  });
});

describe("writeTextFrame", () => {
  it("writes text frames a ws client reads, past ws.send, in order with frames ws itself sends", async () => {
    const { server, received } = await pair();
    const socket = directSocket(server);
    expect(socket).toBeDefined();
    const send = vi.spyOn(server, "send");
    const texts = ["short", "é".repeat(100), "x".repeat(70_000)];
    expect(writeTextFrame(server, socket, Buffer.from(texts[0]!), true)).toBe(true);
    server.send("through ws");
    send.mockClear();
    writeTextFrame(server, socket, Buffer.from(texts[1]!), true);
    writeTextFrame(server, socket, Buffer.from(texts[2]!), false);
    await until(() => received.length === 4);
    expect(received).toEqual([texts[0], "through ws", texts[1], texts[2]]);
    expect(send).not.toHaveBeenCalled();
    expect(unsentBytes(server, socket)).toBe(server.bufferedAmount);
  });

  it("writes through ws.send when its sender is not idle, or permessage-deflate was negotiated (ws would compress or queue)", async () => {
    const { server, received } = await pair();
    const internals = server as unknown as { _sender: { _state: number }; _extensions: Record<string, unknown> };
    internals._sender._state = 1;
    expect(directSocket(server)).toBeUndefined();
    internals._sender._state = 0;
    internals._extensions = { "permessage-deflate": {} };
    expect(directSocket(server)).toBeUndefined();
    internals._extensions = {};
    const send = vi.spyOn(server, "send");
    writeTextFrame(server, undefined, Buffer.from("through ws"), true);
    expect(send).toHaveBeenCalledWith(Buffer.from("through ws"), { binary: false });
    await until(() => received.length === 1);
    expect(received).toEqual(["through ws"]);
    expect(unsentBytes(server, undefined)).toBe(server.bufferedAmount);
  });

  it("writes nothing once the socket is closing", async () => {
    const { server, client, received } = await pair();
    server.close(1000);
    expect(writeTextFrame(server, directSocket(server), Buffer.from("late"), true)).toBe(false);
    await once(client, "close");
    expect(received).toEqual([]);
  });

  it("writes a calm turn's broadcast at once, and under load a turn's frames in one system call, in order", async () => {
    const { server, received } = await pair();
    const socket = directSocket(server) as unknown as { _writev: (...args: unknown[]) => void; _write: (...args: unknown[]) => void; writableCorked: number };
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const broadcast = (text: string) => writeTextFrame(server, directSocket(server), Buffer.from(text), true);
    // Two calm turns, whatever the tests before left: one broadcast each.
    for (const text of ["calm 1", "calm 2"]) {
      broadcast(text);
      await nextTurn();
    }
    await until(() => received.length === 2);
    const writev = vi.spyOn(socket, "_writev");
    const write = vi.spyOn(socket, "_write");

    broadcast("alone");
    // As the raw limit writes: one plain write, nothing corked.
    expect(socket.writableCorked).toBe(0);
    expect(write).toHaveBeenCalledTimes(1);
    await nextTurn();

    // Load: several broadcasts in one turn. The first still went out alone; the others wait for the turn's end.
    for (const text of ["one", "two", "three"]) broadcast(text);
    server.send("ws's own frame");
    expect(write).toHaveBeenCalledTimes(2);
    expect(socket.writableCorked).toBe(1);
    await until(() => received.length === 7);
    expect(writev).toHaveBeenCalledTimes(1);
    expect((writev.mock.calls[0]![0] as unknown[]).length).toBe(4); // ws.send writes header and payload apart

    // The turn after a busy one corks from its first broadcast: one system call for the turn.
    broadcast("four");
    broadcast("five");
    expect(socket.writableCorked).toBe(1);
    await until(() => received.length === 9);
    expect(writev).toHaveBeenCalledTimes(2);
    expect(write).toHaveBeenCalledTimes(2);
    expect(received.slice(2)).toEqual(["alone", "one", "two", "three", "ws's own frame", "four", "five"]);
    expect(socket.writableCorked).toBe(0);
  });

  it("loses nothing when the socket is closed in the turn it was corked", async () => {
    const { server, client, received } = await pair();
    writeTextFrame(server, directSocket(server), Buffer.from("last words"), true);
    server.close(1000, "bye");
    const [code] = (await once(client, "close")) as [number];
    expect(code).toBe(1000);
    expect(received).toEqual(["last words"]);
  });
});
