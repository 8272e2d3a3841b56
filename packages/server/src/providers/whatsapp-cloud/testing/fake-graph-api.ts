/**
 * A local fake of Meta's Graph API for the Cloud API provider, on 127.0.0.1 with a random port
 * (tests never need the internet). It answers as Meta documents: message sends and read receipts
 * (`POST /{phone_number_id}/messages`), media upload (`POST /{phone_number_id}/media`, multipart),
 * template listing with paging (`GET /{waba_id}/message_templates`), media metadata
 * (`GET /{media_id}`) and media bytes (a lookaside-style URL on the same server). Every call needs
 * the bearer token (401 with Meta's OAuth body, code 190, otherwise). Faults: the next N sends
 * fail with a Graph code (Meta's exact error bodies, testing/meta-errors.ts), sends can be slowed.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { SendMessageBody } from "../message-bodies.ts";
import { checkSendBody, type FakeTemplate } from "./fake-send-checks.ts";
import { metaErrorBody } from "./meta-errors.ts";

export type { FakeTemplate } from "./fake-send-checks.ts";

/** Options of {@link startFakeGraphApi}; every one has a default. */
export interface FakeGraphApiOptions {
  /** The only token accepted; default `"test-access-token"`. */
  accessToken?: string;
  /** The business number; default `"106540352242922"`. */
  phoneNumberId?: string;
  /** The WhatsApp Business Account; default `"102290129340398"`. */
  wabaId?: string;
  /** Graph version in the base URL; default `"v25.0"`. */
  version?: string;
  /** Templates of the account; null (default) lists none and lets any template name be sent. */
  templates?: FakeTemplate[] | null;
  /** Largest template page whatever `limit` asks, to exercise paging; default 100. */
  maxTemplatePageSize?: number;
}

/** One request the fake received, whatever it answered. */
export interface RecordedRequest {
  method: string;
  /** Path without the version prefix, e.g. `/106540352242922/messages`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, when it was JSON. */
  json: unknown;
  /** Text fields of a multipart body (the file is in `uploads`). */
  form: Record<string, string> | null;
  /** The HTTP status answered. */
  status: number;
  /** When the request's body had arrived (ms since the epoch). */
  arrivedAtMs: number;
}

/** A message the fake accepted. */
export interface SentMessage {
  /** The `wamid…` answered. */
  wamid: string;
  body: SendMessageBody;
  /** When the request arrived (ms since the epoch), for pacing checks. */
  arrivedAtMs: number;
}

/** Media the fake holds: uploaded by the client, or added by a test as if a customer sent it. */
export interface FakeMedia {
  id: string;
  mime: string;
  filename: string | null;
  bytes: Uint8Array;
  /** What `GET /{media_id}` advertises (hex); a test may set a wrong one. */
  sha256: string;
}

/** A send fault: a Graph error code, or a bare HTTP 500 with an HTML body (a proxy failing). */
export type SendFault = number | "http_500";

/** A running fake. */
export interface FakeGraphApi {
  /** The graph base URL for an inbox's `graph_base_url`, e.g. `http://127.0.0.1:4321/v25.0`. */
  readonly url: string;
  readonly origin: string;
  readonly accessToken: string;
  readonly phoneNumberId: string;
  readonly wabaId: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Messages accepted (200), in order. */
  sent(): SentMessage[];
  /** Read receipts accepted (with or without the typing indicator), in order. */
  reads(): Array<{ message_id: string; typing_indicator?: { type: string } }>;
  /** Media uploaded through `POST /{phone_number_id}/media`. */
  uploads(): FakeMedia[];
  /** Stores media as if a customer had sent it; returns its media id. `sha256` overrides the advertised hash. */
  addMedia(media: { bytes: Uint8Array; mime: string; sha256?: string }): string;
  /** The next `count` message sends answer `fault`; `retryAfterSeconds` adds a Retry-After header. */
  failNextSends(count: number, fault: SendFault, options?: { retryAfterSeconds?: number }): void;
  /** Sends to these WhatsApp ids are refused with `code` (default 131026, undeliverable) until cleared with []. */
  refuseRecipients(waIds: string[], code?: number): void;
  /** Every message send waits `ms` before answering (a slow Meta); 0 to stop. */
  setSendDelay(ms: number): void;
  /** The next accepted sends answer these `wamid…` ids, in order (then random ones again). */
  answerNextSendsWith(ids: string[]): void;
  /** Replaces the template list (null: none, any name accepted). */
  setTemplates(templates: FakeTemplate[] | null): void;
  /** Stops the server and drops open connections. */
  close(): Promise<void>;
}

const wamid = () => `wamid.${randomBytes(24).toString("base64url")}`;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  const payload = Buffer.isBuffer(body) || body instanceof Uint8Array ? body : Buffer.from(typeof body === "string" ? body : JSON.stringify(body));
  const type = Buffer.isBuffer(body) || body instanceof Uint8Array ? {} : { "content-type": typeof body === "string" ? "text/html" : "application/json" };
  response.writeHead(status, { ...type, ...headers, "content-length": String(payload.byteLength) }).end(payload);
  return status;
}

/** Starts a fake Graph API on 127.0.0.1 and a random port. */
export async function startFakeGraphApi(options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> {
  const accessToken = options.accessToken ?? "test-access-token";
  const phoneNumberId = options.phoneNumberId ?? "106540352242922";
  const wabaId = options.wabaId ?? "102290129340398";
  const version = options.version ?? "v25.0";
  const maxPageSize = options.maxTemplatePageSize ?? 100;
  let templates = options.templates ?? null;
  const requests: RecordedRequest[] = [];
  const sent: SentMessage[] = [];
  const reads: Array<{ message_id: string; typing_indicator?: { type: string } }> = [];
  const media = new Map<string, FakeMedia & { uploaded: boolean }>();
  const faults: Array<{ fault: SendFault; retryAfterSeconds?: number }> = [];
  let refused: { waIds: Set<string>; code: number } = { waIds: new Set(), code: 131026 };
  let sendDelayMs = 0;
  const nextWamids: string[] = [];
  let origin = "";

  const addMedia = (bytes: Uint8Array, mime: string, filename: string | null, uploaded: boolean, sha256?: string) => {
    const id = String(10 ** 15 + Math.floor(Math.random() * 9 * 10 ** 15));
    const copy = new Uint8Array(bytes);
    media.set(id, { id, mime, filename, bytes: copy, uploaded, sha256: sha256 ?? createHash("sha256").update(copy).digest("hex") });
    return id;
  };

  const graphError = (response: ServerResponse, code: number, details?: string, headers: Record<string, string> = {}) => {
    const { status, body } = metaErrorBody(code, details);
    return reply(response, status, body, headers);
  };
  const unknownObject = (response: ServerResponse, method: string, id: string) =>
    reply(response, 400, {
      error: {
        message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
        type: "GraphMethodException",
        code: 100,
        error_subcode: 33,
        fbtrace_id: randomBytes(12).toString("base64url"),
      },
    });

  async function handleMessages(response: ServerResponse, json: unknown): Promise<number> {
    const arrivedAtMs = Date.now();
    const body = json as Record<string, unknown> | null;
    if (body && body.status === "read") {
      if (body.messaging_product !== "whatsapp" || typeof body.message_id !== "string") return graphError(response, 100, "Param message_id is required");
      reads.push({ message_id: body.message_id, ...(body.typing_indicator ? { typing_indicator: body.typing_indicator as { type: string } } : {}) });
      return reply(response, 200, { success: true });
    }
    if (sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, sendDelayMs));
    const fault = faults.shift();
    if (fault?.fault === "http_500") return reply(response, 500, "<html><body>Internal Server Error</body></html>");
    if (fault)
      return graphError(response, fault.fault, undefined, fault.retryAfterSeconds === undefined ? {} : { "retry-after": String(fault.retryAfterSeconds) });
    const uploadedIds = new Set([...media.values()].filter((m) => m.uploaded).map((m) => m.id));
    const refusal = checkSendBody(json, uploadedIds, templates);
    if (refusal) return graphError(response, refusal.code, refusal.details);
    const to = String(body?.to).replace(/^\+/, "");
    if (refused.waIds.has(to)) return graphError(response, refused.code);
    const id = nextWamids.shift() ?? wamid();
    sent.push({ wamid: id, body: json as SendMessageBody, arrivedAtMs });
    return reply(response, 200, { messaging_product: "whatsapp", contacts: [{ input: String(body?.to), wa_id: to }], messages: [{ id }] });
  }

  async function handleUpload(response: ServerResponse, raw: Buffer, contentType: string, record: RecordedRequest): Promise<number> {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
    } catch {
      return graphError(response, 100, "The request must be multipart/form-data");
    }
    record.form = Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string") as Array<[string, string]>);
    const file = form.get("file");
    const type = form.get("type");
    if (form.get("messaging_product") !== "whatsapp") return graphError(response, 100, "The parameter messaging_product is required.");
    if (typeof type !== "string" || typeof file === "string" || file === null) return graphError(response, 100, "Params file and type are required");
    const id = addMedia(new Uint8Array(await file.arrayBuffer()), type, file.name || null, true);
    return reply(response, 200, { id });
  }

  function handleTemplates(response: ServerResponse, url: URL): number {
    const all = templates ?? [];
    const limit = Math.min(Number(url.searchParams.get("limit") ?? 25) || 25, maxPageSize);
    const start = Number(Buffer.from(url.searchParams.get("after") ?? "", "base64url").toString() || 0);
    const data = all.slice(start, start + limit).map((t, i) => ({ id: t.id ?? String(9000 + start + i), ...t }));
    const paging: Record<string, unknown> = {
      cursors: { before: Buffer.from(String(start)).toString("base64url"), after: Buffer.from(String(start + data.length)).toString("base64url") },
    };
    if (start + limit < all.length) {
      const next = new URL(url);
      next.searchParams.set("after", Buffer.from(String(start + limit)).toString("base64url"));
      paging.next = `${origin}${next.pathname}${next.search}`;
    }
    return reply(response, 200, { data, paging });
  }

  async function route(request: IncomingMessage, response: ServerResponse, record: RecordedRequest, raw: Buffer): Promise<number> {
    const url = new URL(request.url ?? "/", origin);
    if (request.headers.authorization !== `Bearer ${accessToken}`) return graphError(response, 190);
    if (request.method === "GET" && url.pathname === "/whatsapp_business/attachments/") {
      const item = media.get(url.searchParams.get("mid") ?? "");
      return item ? reply(response, 200, item.bytes, { "content-type": item.mime }) : reply(response, 404, { error: { message: "Not found" } });
    }
    const parts = record.path.split("/").filter(Boolean);
    if (request.method === "POST" && parts.length === 2 && (parts[1] === "messages" || parts[1] === "media")) {
      if (parts[0] !== phoneNumberId) return unknownObject(response, "POST", parts[0] ?? "");
      return parts[1] === "messages" ? handleMessages(response, record.json) : handleUpload(response, raw, request.headers["content-type"] ?? "", record);
    }
    if (request.method === "GET" && parts.length === 2 && parts[1] === "message_templates") {
      return parts[0] === wabaId ? handleTemplates(response, url) : unknownObject(response, "GET", parts[0] ?? "");
    }
    if (request.method === "GET" && parts.length === 1) {
      const item = media.get(parts[0] ?? "");
      if (!item) return unknownObject(response, "GET", parts[0] ?? "");
      return reply(response, 200, {
        messaging_product: "whatsapp",
        url: `${origin}/whatsapp_business/attachments/?mid=${item.id}&ext=${Date.now()}&hash=${randomBytes(8).toString("hex")}`,
        mime_type: item.mime,
        sha256: item.sha256,
        file_size: item.bytes.byteLength,
        id: item.id,
      });
    }
    return graphError(response, 100, `Unknown path components: ${url.pathname}`);
  }

  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readBody(request);
      const url = new URL(request.url ?? "/", origin);
      const record: RecordedRequest = {
        method: request.method ?? "GET",
        path: url.pathname.replace(new RegExp(`^/${version.replace(".", "\\.")}(?=/)`), ""),
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        json: null,
        form: null,
        status: 0,
        arrivedAtMs: Date.now(),
      };
      if ((request.headers["content-type"] ?? "").startsWith("application/json")) {
        try {
          record.json = JSON.parse(raw.toString("utf8"));
        } catch {
          record.json = undefined;
        }
      }
      requests.push(record);
      record.status = await route(request, response, record, raw);
    })().catch((error: unknown) => {
      if (!response.headersSent) reply(response, 500, { error: { message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/${version}`,
    origin,
    accessToken,
    phoneNumberId,
    wabaId,
    requests,
    sent: () => [...sent],
    reads: () => [...reads],
    uploads: () => [...media.values()].filter((m) => m.uploaded).map(({ uploaded: _, ...m }) => m),
    addMedia: (item) => addMedia(item.bytes, item.mime, null, false, item.sha256),
    failNextSends(count, fault, faultOptions = {}) {
      for (let i = 0; i < count; i++) faults.push({ fault, ...faultOptions });
    },
    refuseRecipients(waIds, code = 131026) {
      refused = { waIds: new Set(waIds.map((id) => id.replace(/^\+/, ""))), code };
    },
    setSendDelay(ms) {
      sendDelayMs = ms;
    },
    answerNextSendsWith(ids) {
      nextWamids.push(...ids);
    },
    setTemplates(list) {
      templates = list;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
