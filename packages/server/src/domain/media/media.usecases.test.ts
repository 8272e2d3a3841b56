import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { memoryMediaStorage } from "../../media/media-storage.ts";
import { randomSecretTokens } from "../../security/tokens.ts";
import type { MediaRepository, Store } from "../ports.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { Role } from "../tenancy/roles.ts";
import { cleanFilename, type MediaStorage } from "./media.ts";
import { mediaUseCases } from "./media.usecases.ts";

type Row = Parameters<MediaRepository["create"]>[0];

/** The use cases over memory storage and a media table in an array; `failInsert` breaks the table. */
function setup(options: { failInsert?: boolean } = {}) {
  const rows: Row[] = [];
  const storage = memoryMediaStorage();
  const keys = new Set<string>();
  const tracked: MediaStorage = {
    ...storage,
    put: async (key, content) => {
      await storage.put(key, content);
      keys.add(key);
    },
    delete: async (key) => {
      await storage.delete(key);
      keys.delete(key);
    },
  };
  const store = {
    media: {
      async create(row: Row) {
        if (options.failInsert) throw new Error("database unavailable");
        rows.push(row);
      },
      async findById(id: string) {
        return rows.find((row) => row.id === id) ?? null;
      },
    },
    inboxes: { findById: async (_workspaceId: string, id: string) => (id === "inbox-1" ? { id } : null) },
  } as unknown as Store;
  return { media: mediaUseCases({ store, storage: tracked, tokens: randomSecretTokens }), rows, keys };
}

const member = (role: Role) => ({ role, workspace: { id: "workspace-1" } }) as Membership;

async function* chunked(...parts: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* parts;
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe("media use cases", () => {
  it("stores a streamed upload with its size, SHA-256 and sniffed type, and opens it by key", async () => {
    const { media, rows } = setup();
    const grant = { workspaceId: "workspace-1", maxBytes: 1000 };
    const jpeg = Buffer.from("ffd8ffe000104a464946000101", "hex");
    const saved = await media.upload(grant, {
      content: chunked(jpeg.subarray(0, 2), jpeg.subarray(2)),
      declaredMime: "application/octet-stream",
      filename: "a.jpg",
    });
    expect(saved).toMatchObject({ mime: "image/jpeg", sizeBytes: jpeg.byteLength, filename: "a.jpg" });
    expect(rows[0]).toMatchObject({
      workspaceId: "workspace-1",
      storageKey: `workspace-1/${saved.id}`,
      sha256: createHash("sha256").update(jpeg).digest("hex"),
    });

    const opened = await media.open(saved.id, saved.accessKey);
    expect(opened.sizeBytes).toBe(jpeg.byteLength);
    expect(opened.sha256).toBe(rows[0]!.sha256);
    expect((await collect(opened.stream())).equals(jpeg)).toBe(true);
    expect((await collect(opened.stream({ start: 1, end: 2 }))).equals(jpeg.subarray(1, 3))).toBe(true);
    await expect(media.open(saved.id, "wrong")).rejects.toMatchObject({ code: "media.not_found" });
  });

  it("stores nothing for content past the limit", async () => {
    const { media, rows, keys } = setup();
    const upload = media.upload(
      { workspaceId: "workspace-1", maxBytes: 10 },
      { content: chunked(new Uint8Array(6), new Uint8Array(5)), declaredMime: null, filename: null },
    );
    await expect(upload).rejects.toMatchObject({ code: "media.too_large", field: "file" });
    expect(rows).toHaveLength(0);
    expect(keys.size).toBe(0);
  });

  it("accepts exactly the limit", async () => {
    const { media } = setup();
    const saved = await media.upload({ workspaceId: "workspace-1", maxBytes: 10 }, { content: new Uint8Array(10), declaredMime: null, filename: null });
    expect(saved).toMatchObject({ sizeBytes: 10, mime: "application/octet-stream" });
  });

  it("stores nothing for empty content", async () => {
    const { media, rows, keys } = setup();
    await expect(media.upload({ workspaceId: "workspace-1", maxBytes: 10 }, { content: chunked(), declaredMime: null, filename: null })).rejects.toMatchObject({
      code: "media.empty",
    });
    await expect(media.save("workspace-1", { bytes: new Uint8Array(0), mime: "image/png", filename: null })).rejects.toMatchObject({ code: "media.empty" });
    expect(rows).toHaveLength(0);
    expect(keys.size).toBe(0);
  });

  it("removes the stored bytes when the row cannot be written", async () => {
    const { media, keys } = setup({ failInsert: true });
    await expect(media.save("workspace-1", { bytes: new Uint8Array([1, 2, 3]), mime: "image/png", filename: null })).rejects.toThrow("database unavailable");
    expect(keys.size).toBe(0);
  });

  it("keeps the type a provider states for inbound media", async () => {
    const { media } = setup();
    const saved = await media.save("workspace-1", { bytes: Buffer.from("OggS-ish"), mime: "audio/ogg; codecs=opus", filename: null });
    expect(saved.mime).toBe("audio/ogg; codecs=opus");
  });

  it("grants uploads to roles that may send, within the workspace's inboxes", async () => {
    const { media } = setup();
    expect(await media.authorizeMemberUpload(member("agent"))).toEqual({ workspaceId: "workspace-1", maxBytes: 100 * 1024 * 1024 });
    expect(await media.authorizeMemberUpload(member("owner"), { inboxId: "inbox-1" })).toMatchObject({ workspaceId: "workspace-1" });
    await expect(media.authorizeMemberUpload(member("viewer"))).rejects.toMatchObject({ code: "auth.forbidden" });
    await expect(media.authorizeMemberUpload(member("agent"), { inboxId: "inbox-of-another-workspace" })).rejects.toMatchObject({ code: "inboxes.not_found" });
    expect(media.authorizeVisitorUpload({ session: { workspaceId: "workspace-1" } })).toEqual({ workspaceId: "workspace-1", maxBytes: 10 * 1024 * 1024 });
  });
});

describe("cleanFilename", () => {
  it.each([
    ["C:\\fakepath\\photo.jpg", "photo.jpg"],
    ["../../etc/passwd", "passwd"],
    ["  report\u0000\u001b.pdf ", "report.pdf"],
    ["Fatura março.pdf", "Fatura março.pdf"],
    ["..", null],
    ["dir/", null],
    ["", null],
    [null, null],
  ])("cleans %j to %j", (raw, clean) => {
    expect(cleanFilename(raw)).toBe(clean);
  });

  it("keeps at most 255 characters", () => {
    expect(cleanFilename(`${"é".repeat(300)}.png`)).toHaveLength(255);
  });
});
