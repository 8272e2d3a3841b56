/** The drain after an early error reply is bounded: a client that keeps a body coming is cut off. */
import { connect } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHttpApp, type HttpApp } from "./app.ts";

/** The drain time of the app under test, in ms. */
const drainMs = 1000;
let app: HttpApp;
let port: number;

beforeAll(async () => {
  app = await createHttpApp({
    logger: pino({ level: "silent" }),
    bodyLimitBytes: 1024,
    rateLimitPerMinute: 1000,
    lingeringClose: { maxMs: drainMs, maxBytes: 256 * 1024 },
  });
  app.post("/echo", async (request) => request.body);
  await app.listen({ port: 0, host: "127.0.0.1" });
  port = (app.server.address() as { port: number }).port;
});
afterAll(() => app.close());

/** Opens a raw connection and sends headers announcing `contentLength` bytes of JSON. */
function uploadStart(contentLength: number) {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => {});
  const closed = new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now())));
  socket.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`);
  /** Resolves once what the server sent matches `pattern` (at most 5 s). */
  const receives = async (pattern: RegExp) => {
    for (const deadline = Date.now() + 5000; !pattern.test(received); ) {
      if (Date.now() > deadline) throw new Error(`never received ${pattern}; got ${JSON.stringify(received)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return { socket, received: () => received, receives, closed };
}

it("keeps the connection of a drained body: the next request on it is served", async () => {
  const upload = uploadStart(4096);
  await upload.receives(/^HTTP\/1.1 413/);
  upload.socket.write(`"${"x".repeat(4094)}"`);
  upload.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}');
  await upload.receives(/HTTP\/1.1 200[\s\S]*\{"a":1\}$/);
  // Past the drain time, the drained connection is still served (its drain ended with the body).
  await new Promise((resolve) => setTimeout(resolve, drainMs + 200));
  upload.socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{"b":2}');
  await upload.receives(/HTTP\/1.1 200[\s\S]*\{"b":2\}$/);
  upload.socket.destroy();
});

it("cuts a body that keeps coming after its 413 once the drain time is up", async () => {
  const upload = uploadStart(10 * 1024 * 1024);
  const started = Date.now();
  const trickle = setInterval(() => upload.socket.write("x".repeat(100)), 20);
  const closedAt = await upload.closed;
  clearInterval(trickle);
  expect(upload.received()).toMatch(/^HTTP\/1.1 413/);
  expect(closedAt - started).toBeGreaterThanOrEqual(drainMs - 50);
  expect(closedAt - started).toBeLessThan(drainMs + 3000);
});

it("cuts a body that keeps coming after its 413 once the drain byte budget is spent", async () => {
  const upload = uploadStart(10 * 1024 * 1024);
  await upload.receives(/^HTTP\/1.1 413/);
  const sentAt = Date.now();
  upload.socket.write(Buffer.alloc(1024 * 1024, "x"));
  const closedAt = await upload.closed;
  expect(upload.received()).toMatch(/^HTTP\/1.1 413/);
  // Well before the drain time.
  expect(closedAt - sentAt).toBeLessThan(drainMs / 2);
});
