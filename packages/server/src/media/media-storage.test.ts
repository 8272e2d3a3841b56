import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diskMediaStorage, memoryMediaStorage } from "./media-storage.ts";

const root = mkdtempSync(join(tmpdir(), "parley-media-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each([
  ["disk", () => diskMediaStorage(root)],
  ["memory", () => memoryMediaStorage()],
])("%s media storage", (_name, create) => {
  it("reads back what it stored, and null for unknown keys", async () => {
    const storage = create();
    await storage.put("workspace-a/file-1", new Uint8Array([1, 2, 3]));
    expect([...(await storage.read("workspace-a/file-1"))!]).toEqual([1, 2, 3]);
    expect(await storage.read("workspace-a/missing")).toBeNull();
  });
});

describe("disk media storage", () => {
  it("refuses keys that would escape its directory and leaves no partial files", async () => {
    const storage = diskMediaStorage(root);
    await expect(storage.put("../outside", new Uint8Array([1]))).rejects.toThrow("escapes");
    await expect(storage.read("../../etc/passwd")).rejects.toThrow("escapes");
    await storage.put("w/f", new Uint8Array([9]));
    expect(readdirSync(join(root, "w"))).toEqual(["f"]);
  });
});
