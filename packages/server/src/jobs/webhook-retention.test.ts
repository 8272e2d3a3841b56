import pino from "pino";
import { Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config.ts";
import { startWebhookRetention } from "./webhook-retention.ts";

// Fake timers: the schedule is asserted exactly, however slow the machine.
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const clock = { now: () => new Date("2026-11-30T12:00:00Z") };

describe("startWebhookRetention", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sweeps after the first delay and then periodically, counts what it deleted, and never sweeps again once stopped", async () => {
    const cutoffs: Date[] = [];
    const registry = new Registry();
    const retention = startWebhookRetention({
      repository: {
        deleteSettledBefore: async (before) => {
          cutoffs.push(before);
          return 3;
        },
      },
      clock,
      retentionDays: 14,
      logger: pino({ level: "silent" }),
      registry,
      firstAfterMs: 10,
      everyMs: 20,
    });
    await sleep(9);
    expect(cutoffs).toHaveLength(0);
    // At 10, 30, 50 and 70 ms.
    await sleep(71);
    await retention.stop();
    expect(cutoffs).toHaveLength(4);
    expect(cutoffs[0]).toEqual(new Date("2026-11-16T12:00:00Z"));
    expect(await registry.getSingleMetricAsString("parley_webhook_deliveries_deleted_total")).toMatch(/^parley_webhook_deliveries_deleted_total 12$/m);
    await sleep(60);
    expect(cutoffs).toHaveLength(4);
  });

  it("logs a failed sweep and tries again at the next one", async () => {
    const warnings: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    let attempts = 0;
    const retention = startWebhookRetention({
      repository: {
        deleteSettledBefore: async () => {
          attempts++;
          throw new Error("connection terminated");
        },
      },
      clock,
      retentionDays: 14,
      logger,
      firstAfterMs: 5,
      everyMs: 15,
    });
    // At 5, 20, 35 and 50 ms.
    await sleep(60);
    await retention.stop();
    expect(attempts).toBe(4);
    expect(warnings[0]).toBe("webhook delivery retention sweep failed; the next one tries again");
  });

  it("runs nothing when the retention is 0 days", async () => {
    let calls = 0;
    const retention = startWebhookRetention({
      repository: {
        deleteSettledBefore: async () => {
          calls++;
          return 0;
        },
      },
      clock,
      retentionDays: 0,
      logger: pino({ level: "silent" }),
      firstAfterMs: 1,
    });
    await sleep(3_600_000);
    await retention.stop();
    expect(calls).toBe(0);
  });
});

describe("WEBHOOK_RETENTION_DAYS", () => {
  it("keeps settled deliveries 14 days unless set, 0 for ever, and refuses anything but whole days by name", () => {
    expect(loadConfig({}).webhookRetentionDays).toBe(14);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: "0" }).webhookRetentionDays).toBe(0);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: "90" }).webhookRetentionDays).toBe(90);
    expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: "-1" })).toThrow(/WEBHOOK_RETENTION_DAYS/);
    expect(() => loadConfig({ WEBHOOK_RETENTION_DAYS: "two weeks" })).toThrow(/WEBHOOK_RETENTION_DAYS/);
  });
});
