/** A graceful stop of every node leaves nothing behind in Redis. */
import { describe, expect, it } from "vitest";
import type { ConformanceContext } from "./context.ts";

export function shutdownScenarios(ctx: ConformanceContext): void {
  describe("shutdown", () => {
    it("leaves no state in Redis once every node stopped gracefully, but rate-limit counters that expire", async () => {
      await ctx.cluster.stop();
      if (ctx.cluster.redisKeys === undefined || ctx.cluster.redisPrefix === undefined) return;
      const left = await ctx.cluster.redisKeys(ctx.cluster.redisPrefix);
      expect(left.filter((key) => !key.startsWith(`${ctx.cluster.redisPrefix}rate-limit:`))).toEqual([]);
    });
  });
}
