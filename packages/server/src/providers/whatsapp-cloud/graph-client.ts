/**
 * A small client for the Graph API calls Parley makes for a Cloud API number: send a message,
 * mark read, upload media, list templates, read media metadata and download media (Meta's
 * "Messages", "Media" and "Message templates" references). Every call sends
 * `Authorization: Bearer {access_token}`, has a timeout, and fails only with `ProviderError`.
 *
 * Calls go through undici's `request`, not the global `fetch`: on Node 20 a send through fetch
 * cost about 0.5 ms more CPU (its WHATWG streams and Request/Response objects), which a campaign
 * pays 60 times a second on the event loop that also serves agents' live replies.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher, FormData } from "undici";
import { z } from "zod";
import { ProviderError } from "../../domain/providers/provider.ts";
import { startCallDeadline } from "./call-deadline.ts";
import { providerErrorFromGraph, providerErrorFromNetwork } from "./errors.ts";
import type { ReadReceiptBody, SendMessageBody } from "./message-bodies.ts";
import { summariseApprovedTemplates, type TemplateSummary, templatePageSchema } from "./templates.ts";

/** Default timeout of one Graph API call: 15 s. */
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Default timeout of a media download: 120 s (documents may be 100 MB). */
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 120_000;
/** Largest media accepted on download: 100 MB, Meta's largest (documents). */
export const MAX_DOWNLOAD_BYTES = 100 * 1024 * 1024;
/** Most template pages followed through `paging.next` (100 templates a page). */
export const MAX_TEMPLATE_PAGES = 20;

/** How to reach the Graph API for one number. */
export interface GraphClientOptions {
  /** e.g. `https://graph.facebook.com/v25.0`, no trailing slash. */
  baseUrl: string;
  accessToken: string;
  /** The undici dispatcher (connection pool) calls go through; default undici's global keep-alive agent. */
  dispatcher?: Dispatcher;
  /** Per call, ms; default {@link DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Per media download, ms; default {@link DEFAULT_DOWNLOAD_TIMEOUT_MS}. */
  downloadTimeoutMs?: number;
  /** Clock for Retry-After dates, ms; default `Date.now`. */
  nowMs?: () => number;
}

/** What Meta answered to a send. */
export interface SendResult {
  /** The `wamid…` of the message; null if Meta's 2xx answer had none (it was accepted all the same). */
  messageId: string | null;
  /** The recipient's WhatsApp id as Meta resolved it (`contacts[0].wa_id`). */
  waId: string | null;
}

/** `GET {graph}/{media_id}`: where and what the media is. The `url` is valid about 5 minutes. */
export interface MediaMetadata {
  id: string;
  url: string;
  mime: string;
  /** Meta's hash of the bytes (hex or base64, as Meta gives it). */
  sha256: string | null;
  /** Bytes. */
  fileSize: number | null;
}

/** Downloaded media. */
export interface DownloadedMedia {
  bytes: Uint8Array;
  mime: string;
  /** Hex SHA-256 of `bytes`, computed here. */
  sha256: string;
}

const sendResponseSchema = z.object({
  contacts: z.array(z.object({ wa_id: z.string().optional() })).optional(),
  messages: z.array(z.object({ id: z.string() })).optional(),
});
const uploadResponseSchema = z.object({ id: z.string().min(1) });
const mediaMetadataSchema = z.object({
  id: z.string(),
  url: z.url(),
  mime_type: z.string(),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
});

/**
 * undici, loaded on the first Graph API call: most nodes make none for a while after start, and
 * its 0.4 MB need not be parsed before a node answers its health check. From the sources it is
 * undici's own ES module; in the bundle (build.mjs) a chunk whose only export is the CommonJS
 * module as `default`, so its functions are read from there.
 */
let undici: Promise<typeof import("undici")> | undefined;
const loadUndici = () =>
  (undici ??= import("undici").then((module) => ("request" in module ? module : (module as { default: typeof import("undici") }).default)));

function malformed(what: string, cause: unknown): ProviderError {
  return new ProviderError({ retry: "later", reason: `Meta's Graph API answered ${what} with an unexpected body`, cause });
}

/** Compares a computed digest with Meta's, which may be hex or base64. */
function sha256Matches(bytes: Uint8Array, expected: string): boolean {
  const digest = createHash("sha256").update(bytes).digest();
  const given = expected.trim();
  return given.toLowerCase() === digest.toString("hex") || given === digest.toString("base64");
}

/** Graph API calls for one access token. Methods throw ProviderError only. */
export class GraphClient {
  private readonly timeoutMs: number;
  private readonly downloadTimeoutMs: number;
  private readonly nowMs: () => number;

  constructor(private readonly options: GraphClientOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.downloadTimeoutMs = options.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** `POST {graph}/{phone_number_id}/messages` with a send body (see message-bodies.ts). */
  async sendMessage(phoneNumberId: string, body: SendMessageBody): Promise<SendResult> {
    const json = await this.json("POST", `${this.options.baseUrl}/${phoneNumberId}/messages`, { json: body });
    const parsed = sendResponseSchema.safeParse(json);
    return {
      messageId: parsed.success ? (parsed.data.messages?.[0]?.id ?? null) : null,
      waId: parsed.success ? (parsed.data.contacts?.[0]?.wa_id ?? null) : null,
    };
  }

  /** `POST {graph}/{phone_number_id}/messages` with a read receipt (optionally with the typing indicator). */
  async markRead(phoneNumberId: string, body: ReadReceiptBody): Promise<void> {
    await this.json("POST", `${this.options.baseUrl}/${phoneNumberId}/messages`, { json: body });
  }

  /**
   * `POST {graph}/{phone_number_id}/media`, multipart with `messaging_product=whatsapp`, `type`
   * (the MIME type) and `file`. Returns Meta's media id, usable in sends for 30 days.
   */
  async uploadMedia(phoneNumberId: string, media: { bytes: Uint8Array; mime: string; filename: string | null }): Promise<string> {
    const form = new (await loadUndici()).FormData();
    form.append("messaging_product", "whatsapp");
    form.append("type", media.mime);
    form.append("file", new Blob([new Uint8Array(media.bytes)], { type: media.mime }), media.filename ?? "file");
    const parsed = uploadResponseSchema.safeParse(await this.json("POST", `${this.options.baseUrl}/${phoneNumberId}/media`, { form }));
    if (!parsed.success) throw malformed("a media upload", parsed.error);
    return parsed.data.id;
  }

  /**
   * The APPROVED templates of a WhatsApp Business Account, following `paging.next` for at most
   * `maxPages` pages ({@link MAX_TEMPLATE_PAGES}); a longer list is cut there. A `next` link to
   * another origin than the Graph base URL is refused, so the token never leaves for it.
   */
  async listTemplates(wabaId: string, maxPages = MAX_TEMPLATE_PAGES): Promise<TemplateSummary[]> {
    const origin = new URL(this.options.baseUrl).origin;
    const templates: Array<z.output<typeof templatePageSchema>["data"][number]> = [];
    let url: string | undefined = `${this.options.baseUrl}/${wabaId}/message_templates?fields=name,language,status,category,components&limit=100`;
    for (let page = 0; url !== undefined && page < maxPages; page++) {
      if (new URL(url).origin !== origin) {
        throw new ProviderError({ retry: "never", reason: "Meta's template paging link points outside the Graph API base URL" });
      }
      const parsed = templatePageSchema.safeParse(await this.json("GET", url));
      if (!parsed.success) throw malformed("the template listing", parsed.error);
      templates.push(...parsed.data.data);
      url = parsed.data.paging?.next;
    }
    return summariseApprovedTemplates(templates);
  }

  /** `GET {graph}/{media_id}`. */
  async mediaMetadata(mediaId: string): Promise<MediaMetadata> {
    const parsed = mediaMetadataSchema.safeParse(await this.json("GET", `${this.options.baseUrl}/${encodeURIComponent(mediaId)}`));
    if (!parsed.success) throw malformed("a media lookup", parsed.error);
    const { id, url, mime_type, sha256, file_size } = parsed.data;
    return { id, url, mime: mime_type, sha256: sha256 ?? null, fileSize: file_size === undefined ? null : Number(file_size) };
  }

  /**
   * `GET url` with the bearer token (Meta's media URLs need it). Checks `sha256` when given and
   * caps the size at `maxBytes` (default {@link MAX_DOWNLOAD_BYTES}).
   * @throws {ProviderError} `later` on a hash mismatch or a network fault; `never` when too large.
   */
  async download(url: string, expect: { mime?: string | null; sha256?: string | null; maxBytes?: number } = {}): Promise<DownloadedMedia> {
    const maxBytes = expect.maxBytes ?? MAX_DOWNLOAD_BYTES;
    const response = await this.request("GET", url, {}, this.downloadTimeoutMs);
    const tooLarge = () => new ProviderError({ retry: "never", reason: `The media is larger than ${maxBytes} bytes` });
    if (Number(headerValue(response.headers, "content-length") ?? 0) > maxBytes) {
      discard(response.body);
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          discard(response.body);
          throw tooLarge();
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw error instanceof ProviderError ? error : providerErrorFromNetwork(error, this.downloadTimeoutMs);
    }
    const bytes = Buffer.concat(chunks);
    if (expect.sha256 && !sha256Matches(bytes, expect.sha256)) {
      throw new ProviderError({ retry: "later", reason: "The media downloaded from WhatsApp does not match its sha256" });
    }
    return {
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      mime: expect.mime ?? headerValue(response.headers, "content-type") ?? "application/octet-stream",
      sha256: createHash("sha256").update(bytes).digest("hex"),
    };
  }

  /** Looks a media id up, then downloads it, checking Meta's sha256 (`expectedSha256` wins when given). */
  async downloadMedia(mediaId: string, expectedSha256: string | null = null): Promise<DownloadedMedia & { fileSize: number | null }> {
    const metadata = await this.mediaMetadata(mediaId);
    const media = await this.download(metadata.url, { mime: metadata.mime, sha256: expectedSha256 ?? metadata.sha256 });
    return { ...media, fileSize: metadata.fileSize };
  }

  private async json(method: Dispatcher.HttpMethod, url: string, body: { json?: unknown; form?: FormData } = {}): Promise<unknown> {
    const response = await this.request(method, url, body, this.timeoutMs);
    const text = await response.body.text().catch((error: unknown) => {
      throw providerErrorFromNetwork(error, this.timeoutMs);
    });
    try {
      return text === "" ? {} : JSON.parse(text);
    } catch (error) {
      throw malformed(`${method} ${new URL(url).pathname}`, error);
    }
  }

  /**
   * One call; resolves with a 2xx response whose body the caller must read or destroy (an unread
   * body holds its connection). @throws {ProviderError} on a network fault, the timeout, or a
   * non-2xx answer (its body read here for Meta's error).
   */
  private async request(
    method: Dispatcher.HttpMethod,
    url: string,
    body: { json?: unknown; form?: FormData },
    timeoutMs: number,
  ): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.accessToken}` };
    let payload: string | FormData | undefined;
    if (body.json !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body.json);
    } else if (body.form) {
      payload = body.form;
    }
    const deadline = startCallDeadline(timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await (await loadUndici()).request(url, {
        method,
        headers,
        body: payload,
        signal: deadline.signal,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
    } catch (error) {
      deadline.end();
      throw providerErrorFromNetwork(error, timeoutMs);
    }
    // The deadline covers reading the body too; the body closes once read to its end or destroyed.
    response.body.once("close", deadline.end);
    if (response.statusCode >= 200 && response.statusCode < 300) return response;
    const text = await response.body.text().catch(() => "");
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page): the status decides.
    }
    throw providerErrorFromGraph({ status: response.statusCode, retryAfter: headerValue(response.headers, "retry-after"), body: parsed }, this.nowMs());
  }
}

/**
 * Closes a response body that will not be read. undici reports a body destroyed before its end
 * as an "aborted" error event, expected here, so it is listened to and dropped.
 */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => {});
  body.destroy();
}

/** A response header's value (the first, when repeated), or null. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
