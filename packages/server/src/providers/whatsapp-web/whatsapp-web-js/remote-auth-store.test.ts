import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryCredentials } from "../engine.contract.ts";
import { remoteAuthArchiveKey, remoteAuthStore } from "./remote-auth-store.ts";

describe("RemoteAuth store on session credentials", () => {
  let nodeA: string;
  let nodeB: string;
  beforeEach(async () => {
    nodeA = await mkdtemp(join(tmpdir(), "wwebjs-a-"));
    nodeB = await mkdtemp(join(tmpdir(), "wwebjs-b-"));
  });
  afterEach(async () => {
    await rm(nodeA, { recursive: true, force: true });
    await rm(nodeB, { recursive: true, force: true });
  });

  // Bytes that are not valid UTF-8, as in any zip.
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff, 0xfe, 0x00, 0x80, 0x9c]);

  it("has no session before the first save", async () => {
    expect(await remoteAuthStore(memoryCredentials(), nodeA).sessionExists({ session: "RemoteAuth-inbox" })).toBe(false);
  });

  it("hands the archive one node saved to another node byte for byte", async () => {
    const credentials = memoryCredentials();
    await writeFile(join(nodeA, "RemoteAuth-inbox.zip"), zip);
    await remoteAuthStore(credentials, nodeA).save({ session: "RemoteAuth-inbox" });
    expect(credentials.stored.get(remoteAuthArchiveKey)).toBe(zip.toString("base64"));

    const other = remoteAuthStore(credentials, nodeB);
    expect(await other.sessionExists({ session: "RemoteAuth-inbox" })).toBe(true);
    const target = join(nodeB, "RemoteAuth-inbox.zip");
    await other.extract({ session: "RemoteAuth-inbox", path: target });
    expect(await readFile(target)).toEqual(zip);
  });

  it("keeps the archive when RemoteAuth deletes it (the engine decides when a session is gone)", async () => {
    const credentials = memoryCredentials();
    await writeFile(join(nodeA, "RemoteAuth-inbox.zip"), zip);
    const store = remoteAuthStore(credentials, nodeA);
    await store.save({ session: "RemoteAuth-inbox" });
    await store.delete({ session: "RemoteAuth-inbox" });
    expect(await remoteAuthStore(credentials, nodeB).sessionExists({ session: "RemoteAuth-inbox" })).toBe(true);
  });

  it("refuses to extract a session that was never saved", async () => {
    const store = remoteAuthStore(memoryCredentials(), nodeA);
    await expect(store.extract({ session: "RemoteAuth-inbox", path: join(nodeA, "out.zip") })).rejects.toThrow(/No stored/);
  });
});
