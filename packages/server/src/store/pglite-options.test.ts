import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { pgliteStartParams } from "./pglite-options.ts";

describe("the embedded database's settings", () => {
  it("opens with the small buffer pool and without zero-filling new WAL segments", async () => {
    const db = await PGlite.create({ dataDir: "memory://", startParams: pgliteStartParams() });
    try {
      const show = async (name: string) => (await db.query<Record<string, string>>(`show ${name}`)).rows[0]?.[name];
      expect(await show("shared_buffers")).toBe("16MB");
      expect(await show("max_connections")).toBe("8");
      expect(await show("wal_init_zero")).toBe("off");
      // PGlite's own parameters are kept: a failed statement does not end the single-user backend.
      expect(await show("exit_on_error")).toBe("off");
    } finally {
      await db.close();
    }
  });
});
