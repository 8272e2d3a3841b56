/** Graceful shutdown of a whole Parley: sockets told to reconnect (4200), health down meanwhile. */
import { WebSocket } from "ws";
import { expect, it } from "vitest";
import { startTestParley } from "./parley.ts";

it("closes every socket with 4200 and reports unhealthy while it drains", async () => {
  const parley = await startTestParley("pglite", { SHUTDOWN_STAGGER_MS: "600" });
  const sockets = await Promise.all(
    [0, 1, 2, 3].map(
      () =>
        new Promise<WebSocket>((resolve) => {
          const socket = new WebSocket(`${parley.url.replace("http", "ws")}/app/${parley.realtimeApp.key}?protocol=7`);
          socket.once("message", () => resolve(socket));
        }),
    ),
  );
  const codes = sockets.map((socket) => new Promise<number>((resolve) => socket.once("close", (code) => resolve(code))));
  const closing = parley.stop();
  const duringShutdown = await fetch(`${parley.url}/api/v1/health`).then(
    (response) => response.status,
    () => "refused",
  );
  // Either the health check says so, or the port is already closed: never a healthy 200.
  expect([503, "refused"]).toContain(duringShutdown);
  const refusedSocket = await new Promise<string>((resolve) => {
    const late = new WebSocket(`${parley.url.replace("http", "ws")}/app/${parley.realtimeApp.key}?protocol=7`);
    late.once("unexpected-response", (_request, response) => resolve(`http ${response.statusCode}`));
    late.once("error", () => resolve("refused"));
    late.once("open", () => resolve("open"));
  });
  expect(refusedSocket).not.toBe("open");
  await closing;
  expect(await Promise.all(codes)).toEqual([4200, 4200, 4200, 4200]);
});
