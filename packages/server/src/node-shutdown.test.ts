import pino from "pino";
import { describe, expect, it } from "vitest";
import { type NodeParts, nodeShutdown } from "./node-shutdown.ts";

/** Parts that record the order they are closed in; `hang` names a step whose close never resolves. */
function recordingParts(hang?: string): { parts: NodeParts; closed: string[] } {
  const closed: string[] = [];
  const step = (name: string) => () => {
    closed.push(name);
    return name === hang ? new Promise<void>(() => {}) : Promise.resolve();
  };
  const parts = {
    logger: pino({ level: "silent" }),
    realtime: { close: step("realtime sockets") },
    hostedApps: { close: step("hosted apps' sockets") },
    redisFanout: { close: step("redis") },
    app: { close: step("http") },
    rateLimitConnection: { disconnect: () => void closed.push("rate limit") },
    sessions: { stop: step("sessions"), abandon: step("sessions abandoned") },
    closeSandboxNetwork: () => void closed.push("sandbox"),
    jobs: { stop: step("jobs") },
    webhookRetention: { stop: step("webhook retention") },
    database: { close: step("database") },
    shutdownStaggerMs: 0,
    markShuttingDown: () => void closed.push("health 503"),
  } as unknown as NodeParts;
  return { parts, closed };
}

describe("a node's shutdown", () => {
  it("turns health 503 first, closes sockets before Redis and HTTP, and the database last", async () => {
    const { parts, closed } = recordingParts();
    const shutdown = nodeShutdown(parts);
    expect(shutdown.currentStep()).toBeUndefined();
    await shutdown.close();
    expect(closed).toEqual([
      "health 503",
      "realtime sockets",
      "hosted apps' sockets",
      "redis",
      "http",
      "rate limit",
      "sessions",
      "sandbox",
      "jobs",
      "webhook retention",
      "database",
    ]);
    expect(shutdown.currentStep()).toBe("done");
  });

  it("names the step a stop is stuck on, so the deadline's log line can say what held it", async () => {
    const { parts, closed } = recordingParts("jobs");
    const shutdown = nodeShutdown(parts);
    void shutdown.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(shutdown.currentStep()).toBe("jobs");
    expect(closed).not.toContain("database");
  });

  it("runs once: a kill during a close returns the close's promise and closes nothing twice", async () => {
    const { parts, closed } = recordingParts();
    const shutdown = nodeShutdown(parts);
    const closing = shutdown.close();
    expect(shutdown.kill()).toBe(closing);
    await closing;
    expect(closed.filter((name) => name === "database")).toHaveLength(1);
    expect(closed).not.toContain("sessions abandoned");
  });

  it("kills as a crash would: sessions abandoned, not handed back", async () => {
    const { parts, closed } = recordingParts();
    await nodeShutdown(parts).kill();
    expect(closed[1]).toBe("sessions abandoned");
    expect(closed).not.toContain("sessions");
    expect(closed.at(-1)).toBe("database");
  });
});
