/**
 * Attachments over HTTP: agents' and visitors' uploads, and serving with Range, against a real
 * Parley (in-memory database and media storage).
 */
import { createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { maxMediaBytes, maxVisitorMediaBytes } from "../src/domain/media/media.ts";
import { media } from "../src/store/schema/index.ts";
import { useTestParley, workspacePath as ws } from "./parley.ts";

const parley = useTestParley();

const pngSignature = Buffer.from("89504e470d0a1a0a", "hex");
/** A PNG-looking file of `size` bytes: the signature, then random bytes. */
const pngOf = (size: number) => Buffer.concat([pngSignature, randomBytes(size - pngSignature.length)]);

interface UploadOptions {
  bytes: Uint8Array<ArrayBuffer>;
  type?: string;
  filename?: string;
  field?: string;
  token?: string;
}

async function upload(path: string, { bytes, type = "application/octet-stream", filename = "file.bin", field = "file", token }: UploadOptions) {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), filename);
  const response = await fetch(`${parley().url}${path}`, { method: "POST", body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json() };
}

/** POSTs a multipart body with one file of `size` zero bytes, streamed in 1 MB chunks (never held whole). */
async function streamUpload(path: string, size: number, token: string) {
  const boundary = `parley${randomBytes(8).toString("hex")}`;
  async function* multipartBody(): AsyncGenerator<Uint8Array> {
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    const chunk = new Uint8Array(1024 * 1024);
    for (let left = size; left > 0; left -= chunk.byteLength) yield chunk.subarray(0, Math.min(left, chunk.byteLength));
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  const chunks = multipartBody();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
  });
  const init = {
    method: "POST",
    body,
    duplex: "half",
    headers: { "content-type": `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
  };
  const response = await fetch(`${parley().url}${path}`, init as RequestInit);
  return { status: response.status, body: await response.json() };
}

async function storedMediaCount(workspaceId: string): Promise<number> {
  return (await parley().database.db.select().from(media).where(eq(media.workspaceId, workspaceId))).length;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${parley().url}${url}`, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe("agents upload attachments", () => {
  it("stores a 5 MB image, larger than the JSON body limit, with the type its bytes say", async () => {
    const { token, workspaceId } = await parley().api.signup("upload");
    const image = pngOf(5 * 1024 * 1024);
    const uploaded = await upload(`${ws(workspaceId)}/media`, { bytes: image, type: "text/html", filename: "C:\\fakepath\\holiday photo.png", token });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      id: expect.any(String),
      mime: "image/png",
      size: image.byteLength,
      url: expect.stringMatching(new RegExp(`^/api/v1/media/${uploaded.body.id}\\?key=.+`)),
      filename: "holiday photo.png",
    });

    const served = await get(uploaded.body.url);
    expect(served.status).toBe(200);
    expect(served.bytes.equals(image)).toBe(true);
    expect(
      Object.fromEntries(
        ["content-type", "content-length", "accept-ranges", "etag", "cache-control", "content-disposition"].map((name) => [name, served.headers.get(name)]),
      ),
    ).toEqual({
      "content-type": "image/png",
      "content-length": String(image.byteLength),
      "accept-ranges": "bytes",
      etag: `"${createHash("sha256").update(image).digest("hex")}"`,
      "cache-control": "private, max-age=86400",
      "content-disposition": `inline; filename="holiday photo.png"; filename*=UTF-8''holiday%20photo.png`,
    });
  });

  it("keeps the declared type when the bytes have no known signature, and serves documents as downloads", async () => {
    const { token, workspaceId } = await parley().api.signup("doc");
    const text = await upload(`${ws(workspaceId)}/media`, {
      bytes: Buffer.from("plain notes"),
      type: "text/plain; charset=utf-8",
      filename: "notes.txt",
      token,
    });
    expect(text.body.mime).toBe("text/plain");
    const pdf = await upload(`${ws(workspaceId)}/media`, {
      bytes: Buffer.from("%PDF-1.7\n% invoice"),
      type: "application/octet-stream",
      filename: "Fatura março.pdf",
      token,
    });
    expect(pdf.body.mime).toBe("application/pdf");
    expect((await get(pdf.body.url)).headers.get("content-disposition")).toBe(
      `attachment; filename="Fatura mar_o.pdf"; filename*=UTF-8''Fatura%20mar%C3%A7o.pdf`,
    );
  });

  it("lets members who may send upload, answers viewers 403 and other workspaces 404, storing nothing", async () => {
    const { token, workspaceId } = await parley().api.signup("roles");
    const email = `viewer-${randomBytes(4).toString("hex")}@example.com`;
    expect((await parley().api.post(`${ws(workspaceId)}/members`, { email, role: "viewer", name: "Vic", password: "viewer password" }, token)).status).toBe(
      201,
    );
    const viewerToken = (await parley().api.post("/api/v1/auth/login", { email, password: "viewer password" })).body.token;
    const refused = await upload(`${ws(workspaceId)}/media`, { bytes: pngOf(100), token: viewerToken });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("auth.forbidden");

    const stranger = await parley().api.signup("stranger");
    expect((await upload(`${ws(workspaceId)}/media`, { bytes: pngOf(100), token: stranger.token })).status).toBe(404);
    expect((await upload(`${ws(workspaceId)}/media`, { bytes: pngOf(100) })).status).toBe(401);
    expect(await storedMediaCount(workspaceId)).toBe(0);
  });

  it("checks that inbox_id names an inbox of the workspace", async () => {
    const { token, workspaceId } = await parley().api.signup("inbox-check");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    expect((await upload(`${ws(workspaceId)}/media?inbox_id=${inbox.id}`, { bytes: pngOf(100), token })).status).toBe(201);
    const other = await parley().api.signup("inbox-other");
    const otherInbox = await parley().api.createWidgetInbox(other.workspaceId, other.token);
    const refused = await upload(`${ws(workspaceId)}/media?inbox_id=${otherInbox.id}`, { bytes: pngOf(100), token });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("inboxes.not_found");
  });

  it("answers 413 past 100 MB, streamed, and stores nothing", async () => {
    const { token, workspaceId } = await parley().api.signup("huge");
    const response = await streamUpload(`${ws(workspaceId)}/media`, maxMediaBytes + 1, token);
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: "media.too_large", field: "file" });
    expect(await storedMediaCount(workspaceId)).toBe(0);
  });

  it("refuses an empty file, a wrong field name, no file and a body that is not multipart with 400", async () => {
    const { token, workspaceId } = await parley().api.signup("bad-upload");
    const path = `${ws(workspaceId)}/media`;
    const empty = await upload(path, { bytes: new Uint8Array(0), token });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe("media.empty");

    const wrongField = await upload(path, { bytes: pngOf(100), field: "attachment", token });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.message).toContain("named file");

    const noFile = new FormData();
    noFile.append("caption", "hello");
    const fieldsOnly = await fetch(`${parley().url}${path}`, { method: "POST", body: noFile, headers: { authorization: `Bearer ${token}` } });
    expect(fieldsOnly.status).toBe(400);
    expect((await fieldsOnly.json()).error.message).toContain("holds no file");

    const json = await parley().api.post(path, { file: "aGVsbG8=" }, token);
    expect(json.status).toBe(400);
    expect(json.body.error.message).toContain("multipart/form-data");
    const raw = await parley().api.request("POST", path, { token, rawBody: "\x89PNG...", headers: { "content-type": "image/png" } });
    expect(raw.status).toBe(400);
    expect(raw.body.error.message).toContain("multipart/form-data");
    expect(await storedMediaCount(workspaceId)).toBe(0);
  });

  it("still refuses a 2 MB JSON body with 413, on the upload route and elsewhere", async () => {
    const { token, workspaceId } = await parley().api.signup("json-limit");
    const big = { body: "x".repeat(2 * 1024 * 1024) };
    expect((await parley().api.post(`${ws(workspaceId)}/media`, big, token)).status).toBe(413);
    expect((await parley().api.post(`${ws(workspaceId)}/inboxes`, big, token)).status).toBe(413);
  });
});

describe("serving attachments", () => {
  async function uploaded(size: number) {
    const { token, workspaceId } = await parley().api.signup("serve");
    const bytes = pngOf(size);
    const response = await upload(`${ws(workspaceId)}/media`, { bytes, token, filename: "clip.png" });
    return { bytes, url: response.body.url as string, id: response.body.id as string };
  }

  it("answers Range: bytes=0-99 with 206 and exactly those 100 bytes", async () => {
    const { bytes, url } = await uploaded(10_000);
    const partial = await get(url, { range: "bytes=0-99" });
    expect(partial.status).toBe(206);
    expect(partial.bytes.equals(bytes.subarray(0, 100))).toBe(true);
    expect(partial.headers.get("content-range")).toBe("bytes 0-99/10000");
    expect(partial.headers.get("content-length")).toBe("100");
  });

  it("serves open-ended and suffix ranges, the way players seek", async () => {
    const { bytes, url } = await uploaded(10_000);
    const tail = await get(url, { range: "bytes=9990-" });
    expect(tail.status).toBe(206);
    expect(tail.bytes.equals(bytes.subarray(9990))).toBe(true);
    const suffix = await get(url, { range: "bytes=-10" });
    expect(suffix.headers.get("content-range")).toBe("bytes 9990-9999/10000");
    expect(suffix.bytes.equals(bytes.subarray(9990))).toBe(true);
  });

  it("answers 416 with the size for a range past the end", async () => {
    const { url } = await uploaded(10_000);
    const response = await get(url, { range: "bytes=10000-" });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe("bytes */10000");
    expect(JSON.parse(response.bytes.toString()).error.code).toBe("media.range_not_satisfiable");
  });

  it("serves the whole for an If-Range that no longer matches, and 304 for a matching If-None-Match", async () => {
    const { bytes, url } = await uploaded(1000);
    const etag = (await get(url)).headers.get("etag")!;
    const stale = await get(url, { range: "bytes=0-9", "if-range": '"another"' });
    expect(stale.status).toBe(200);
    expect(stale.bytes.equals(bytes)).toBe(true);
    expect((await get(url, { range: "bytes=0-9", "if-range": etag })).status).toBe(206);
    const cached = await get(url, { "if-none-match": etag });
    expect(cached.status).toBe(304);
    expect(cached.bytes).toHaveLength(0);
  });

  it("answers 404 to a wrong key, another attachment's key and no key, even with a Range", async () => {
    const first = await uploaded(1000);
    const second = await uploaded(1000);
    const secondKey = new URL(second.url, "http://x").searchParams.get("key");
    expect((await get(`/api/v1/media/${first.id}?key=wrong`)).status).toBe(404);
    expect((await get(`/api/v1/media/${first.id}?key=${secondKey}`, { range: "bytes=0-1" })).status).toBe(404);
    expect((await get(`/api/v1/media/${first.id}`)).status).toBe(404);
  });
});

describe("visitors upload attachments in the widget", () => {
  it("stores the visitor's file with a session and refuses without one", async () => {
    const { token, workspaceId } = await parley().api.signup("widget-upload");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const image = pngOf(2000);
    const path = `/api/v1/widget/${inbox.widget_key}/media`;
    const stored = await upload(path, { bytes: image, filename: "screenshot.png", token: visitor.session_token });
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ mime: "image/png", size: 2000, filename: "screenshot.png" });
    expect((await get(stored.body.url)).bytes.equals(image)).toBe(true);

    expect((await upload(path, { bytes: image })).status).toBe(401);
    expect((await upload(path, { bytes: image, token: "wst_not-a-session" })).status).toBe(401);
    // An agent's token is no widget session.
    expect((await upload(path, { bytes: image, token })).status).toBe(401);
    expect(await storedMediaCount(workspaceId)).toBe(1);
  });

  it("caps visitors at 10 MB", async () => {
    const { token, workspaceId } = await parley().api.signup("widget-cap");
    const inbox = await parley().api.createWidgetInbox(workspaceId, token);
    const visitor = await parley().api.startVisitor(inbox.widget_key);
    const path = `/api/v1/widget/${inbox.widget_key}/media`;
    const refused = await streamUpload(path, maxVisitorMediaBytes + 1, visitor.session_token);
    expect(refused.status).toBe(413);
    expect(refused.body.error.message).toContain(`${maxVisitorMediaBytes} bytes`);
    expect(await storedMediaCount(workspaceId)).toBe(0);
    expect((await streamUpload(path, maxVisitorMediaBytes, visitor.session_token)).status).toBe(201);
  });
});
