/**
 * REALTIME_MAX_CONNECTIONS_PER_IP: one client address may hold only so many WebSockets on a node,
 * counted by the address the HTTP API sees (TRUST_PROXY: the client behind the balancer), across
 * Parley's own app and the hosted ones; the next is refused with 4100 and a clear message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { startTestParley, type TestParley } from "./parley.ts";

const hosted = { id: "hosted-app", key: "hosted-key", secret: "hosted-secret" };

/** What happened to a connection attempt: the first frame's event and, if it closed, the code and error message. */
interface Attempt {
  socket: WebSocket;
  firstEvent: string;
  closeCode: number | null;
  errorMessage: string | null;
}

function attempt(parley: TestParley, appKey: string, forwardedFor: string): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${parley.url.replace("http", "ws")}/app/${appKey}?protocol=7`, { headers: { "x-forwarded-for": forwardedFor } });
    socket.once("error", reject);
    socket.once("message", (raw) => {
      const frame = JSON.parse(String(raw)) as { event: string; data: unknown };
      if (frame.event !== "pusher:error") {
        resolve({ socket, firstEvent: frame.event, closeCode: null, errorMessage: null });
        return;
      }
      const message = (frame.data as { message: string }).message;
      socket.once("close", (code) => resolve({ socket, firstEvent: frame.event, closeCode: code, errorMessage: message }));
    });
  });
}

describe("a per-address cap on real-time connections", () => {
  let parley: TestParley;
  const open: WebSocket[] = [];
  beforeAll(async () => {
    // The peer is 127.0.0.1: trusting loopback as the balancer makes X-Forwarded-For the client.
    parley = await startTestParley("pglite", { TRUST_PROXY: "127.0.0.1", REALTIME_MAX_CONNECTIONS_PER_IP: "2", PARLEY_APPS: JSON.stringify([hosted]) });
  });
  afterAll(async () => {
    for (const socket of open) socket.terminate();
    await parley?.stop();
  });

  it("refuses a client's connection over the cap with 4100, whichever app it asks for, and lets others in", async () => {
    const first = await attempt(parley, parley.realtimeApp.key, "203.0.113.7");
    const second = await attempt(parley, hosted.key, "203.0.113.7");
    open.push(first.socket, second.socket);
    expect([first.firstEvent, second.firstEvent]).toEqual(["pusher:connection_established", "pusher:connection_established"]);

    const third = await attempt(parley, parley.realtimeApp.key, "203.0.113.7");
    expect(third.closeCode).toBe(4100);
    expect(third.errorMessage).toMatch(/too many connections from this address/);

    // Another client behind the same balancer has its own allowance.
    const neighbour = await attempt(parley, parley.realtimeApp.key, "203.0.113.8");
    open.push(neighbour.socket);
    expect(neighbour.firstEvent).toBe("pusher:connection_established");
  });

  it("gives the allowance back when a connection closes", async () => {
    const leaving = open.shift()!;
    await new Promise<void>((resolve) => {
      leaving.once("close", () => resolve());
      leaving.close();
    });
    // The server counts the close when it sees it; retry briefly rather than sleep a fixed time.
    let again: Attempt | undefined;
    for (let tries = 0; tries < 50; tries++) {
      again = await attempt(parley, parley.realtimeApp.key, "203.0.113.7");
      if (again.closeCode === null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    open.push(again!.socket);
    expect(again!.firstEvent).toBe("pusher:connection_established");
  });
});
