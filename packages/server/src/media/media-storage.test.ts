import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { MediaStorage } from "../domain/media/media.ts";
import { diskMediaStorage, memoryMediaStorage } from "./media-storage.ts";

const root = mkdtempSync(join(tmpdir(), "parley-media-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function collect(stream: AsyncIterable<Uint8Array>): Promise<number[]> {
  const bytes: number[] = [];
  for await (const chunk of stream) bytes.push(...chunk);
  return bytes;
}

async function* chunks(...parts: number[][]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new Uint8Array(part);
}

// The contract every MediaStorage keeps.
describe.each<[string, () => MediaStorage]>([
  ["disk", () => diskMediaStorage(root)],
  ["memory", () => memoryMediaStorage()],
])("%s media storage", (_name, create) => {
  it("reads back what it stored, and null for unknown keys", async () => {
    const storage = create();
    await storage.put("workspace-a/file-1", new Uint8Array([1, 2, 3]));
    expect([...(await storage.read("workspace-a/file-1"))!]).toEqual([1, 2, 3]);
    expect(await storage.read("workspace-a/missing")).toBeNull();
  });

  it("stores a stream as it arrives and reports its size", async () => {
    const storage = create();
    await storage.put("workspace-a/streamed", chunks([1, 2], [3], [4, 5, 6]));
    expect(await storage.stat("workspace-a/streamed")).toEqual({ sizeBytes: 6 });
    expect(await storage.stat("workspace-a/none")).toBeNull();
  });

  it("streams all the bytes or an inclusive range of them", async () => {
    const storage = create();
    await storage.put("workspace-a/ranged", new Uint8Array([10, 11, 12, 13, 14, 15]));
    expect(await collect(storage.createReadStream("workspace-a/ranged"))).toEqual([10, 11, 12, 13, 14, 15]);
    expect(await collect(storage.createReadStream("workspace-a/ranged", { start: 1, end: 3 }))).toEqual([11, 12, 13]);
    expect(await collect(storage.createReadStream("workspace-a/ranged", { start: 5, end: 5 }))).toEqual([15]);
  });

  it("keeps nothing when the stream fails, and rethrows its error", async () => {
    const storage = create();
    async function* failing() {
      yield new Uint8Array([1, 2, 3]);
      throw new Error("upload cut off");
    }
    await expect(storage.put("workspace-a/failed", failing())).rejects.toThrow("upload cut off");
    expect(await storage.stat("workspace-a/failed")).toBeNull();
    expect(await storage.read("workspace-a/failed")).toBeNull();
  });

  it("deletes, and deleting nothing is no error", async () => {
    const storage = create();
    await storage.put("workspace-a/doomed", new Uint8Array([1]));
    await storage.delete("workspace-a/doomed");
    await storage.delete("workspace-a/doomed");
    expect(await storage.stat("workspace-a/doomed")).toBeNull();
  });

  it("fails the stream of a key it does not hold", async () => {
    await expect(collect(create().createReadStream("workspace-a/never"))).rejects.toThrow();
  });
});

describe("disk media storage", () => {
  it("refuses keys that would escape its directory and leaves no partial files", async () => {
    const storage = diskMediaStorage(root);
    await expect(storage.put("../outside", new Uint8Array([1]))).rejects.toThrow("escapes");
    await expect(storage.read("../../etc/passwd")).rejects.toThrow("escapes");
    expect(() => storage.createReadStream("../../etc/passwd")).toThrow("escapes");
    await storage.put("w/f", new Uint8Array([9]));
    async function* failing() {
      yield new Uint8Array([1]);
      throw new Error("cut off");
    }
    await expect(storage.put("w/g", failing())).rejects.toThrow("cut off");
    expect(readdirSync(join(root, "w"))).toEqual(["f"]);
    expect(existsSync(join(root, "w", "g.partial"))).toBe(false);
  });
});
