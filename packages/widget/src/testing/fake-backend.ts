// An in-memory stand-in for the server's widget HTTP API, used as `fetch` in tests. It follows
// the contract the widget is written against; every call is recorded. Test-only; never bundled.
import type { Media, Message, Session, WidgetConfig } from "../protocol.ts";
import { expectedAuth } from "./pusher-server.ts";

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  token: string | null;
  body: Record<string, unknown> | null;
  /** The `file` of a multipart upload (POST /media). */
  file?: File;
  /** Whatever `observe()` returned when the call was made. */
  connection?: unknown;
}

/** A sortable UUIDv7-shaped id; a larger n is later. */
export function uuid7(n: number): string {
  return `01900000-0000-7000-8000-${String(n).padStart(12, "0")}`;
}

export function agentMessage(n: number, body: string | null, over: Partial<Message> = {}): Message {
  return {
    id: uuid7(n),
    conversation_id: "c1",
    direction: "outbound",
    type: "text",
    body,
    status: "sent",
    provider_message_id: null,
    client_message_id: null,
    reply_to_id: null,
    sender: { type: "agent", id: "u1", name: "Ana", jid: null },
    failed_reason: null,
    media: null,
    template: null,
    location: null,
    contacts: null,
    reply_to: null,
    created_at: new Date().toISOString(),
    sent_at: new Date().toISOString(),
    delivered_at: null,
    read_at: null,
    sent_from_phone: false,
    deleted_at: null,
    edited_at: null,
    sent_via: null,
    enrichment: null,
    ...over,
  };
}

export class FakeBackend {
  readonly calls: Call[] = [];
  readonly messages: Message[] = [];
  /** When each message last changed (ms), for `updated_after`; set by `change()`. */
  readonly changedAt = new Map<string, number>();
  readonly tokens = new Set<string>(["tok_1"]);
  config: WidgetConfig = { name: "Acme Support", color: "#0f766e", position: "right", greeting: null, locale: "auto", agents_online: true };
  /** When set, POST /messages waits for it (to observe the optimistic state). */
  sendGate: Promise<void> | null = null;
  /** When set, POST /messages answers this status with an error body. */
  sendFailure: number | null = null;
  /** Uploads received by POST /media, by id. */
  readonly uploads = new Map<string, Media>();
  /** When set, POST /media waits for it (to observe the uploading state). */
  uploadGate: Promise<void> | null = null;
  /** When set, POST /media answers this status with an error body. */
  uploadFailure: number | null = null;
  /** Called on every request; its result is stored in Call.connection. */
  observe: () => unknown = () => undefined;
  private seq = 100;

  constructor(readonly baseUrl: string) {}

  session(token = "tok_1"): Session {
    return {
      session_token: token,
      contact: {
        id: "ct1",
        name: null,
        email: null,
        phone: null,
        jid: null,
        visitor_id: "v1",
        avatar_url: null,
        last_seen_at: null,
        blocked: false,
        labels: [],
        opted_out_at: null,
        opt_out_source: null,
        created_at: "2025-01-01T09:00:00.000Z",
      },
      conversation: { id: "c1", status: "open" },
      realtime: { app_key: "app-key", channel: "private-visitor.c1", auth_endpoint: "/broadcasting/auth", ws_path: "/app/app-key" },
    };
  }

  /** Calls to a path suffix, e.g. "/read". */
  to(suffix: string, method?: string): Call[] {
    return this.calls.filter((c) => c.path.endsWith(suffix) && (!method || c.method === method));
  }

  /** Applies a change to a stored message (e.g. a status) and stamps when it changed. */
  change(id: string, patch: Partial<Message>): void {
    const index = this.messages.findIndex((x) => x.id === id);
    if (index < 0) throw new Error(`no message ${id}`);
    this.messages[index] = { ...this.messages[index]!, ...patch };
    this.changedAt.set(id, Date.now());
  }

  readonly fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url);
    if (!url.startsWith(this.baseUrl)) throw new TypeError("fetch failed");
    const method = init?.method ?? "GET";
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? null;
    const token = auth?.startsWith("Bearer ") ? auth.slice(7) : null;
    const form = init?.body instanceof FormData ? init.body : null;
    const body = init?.body && !form ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    const call: Call = { method, path: u.pathname, query: u.searchParams, token, body, connection: this.observe() };
    const file = form?.get("file");
    if (file instanceof File) call.file = file;
    this.calls.push(call);
    return this.route(call);
  };

  private async route(c: Call): Promise<Response> {
    const error = (status: number, code: string) => Response.json({ error: { code, message: code } }, { status });
    if (c.path === "/broadcasting/auth") {
      if (!c.token || !this.tokens.has(c.token)) return error(401, "unauthenticated");
      return Response.json({ auth: expectedAuth(String(c.body!.socket_id), String(c.body!.channel_name)) });
    }
    const m = /^\/api\/v1\/widget\/([^/]+)\/(.+)$/.exec(c.path);
    if (m?.[1] !== "wk_test") return error(404, "widget.not_found");
    const route = `${c.method} ${m[2]}`;
    if (route === "GET config") return Response.json(this.config);
    if (route === "POST sessions") {
      const token = `tok_${this.seq++}`;
      this.tokens.add(token);
      const session = this.session(token);
      session.contact.name = (c.body?.name as string) ?? null;
      return Response.json(session, { status: 201 });
    }
    if (!c.token || !this.tokens.has(c.token)) return error(401, "session.invalid");
    switch (route) {
      case "GET session": {
        // Like the real server: a resume answer does not repeat the token.
        const { session_token: _omitted, ...rest } = this.session(c.token);
        return Response.json(rest);
      }
      case "GET messages": {
        const updatedAfter = c.query.get("updated_after");
        if (updatedAfter) {
          const since = Date.parse(updatedAfter);
          return Response.json({ data: this.messages.filter((x) => (this.changedAt.get(x.id) ?? 0) > since) });
        }
        const after = c.query.get("after");
        const limit = Number(c.query.get("limit") ?? 50);
        const list = after ? this.messages.filter((x) => x.id > after).slice(0, limit) : this.messages.slice(-limit);
        return Response.json({ data: list });
      }
      case "POST messages": {
        if (this.sendGate) await this.sendGate;
        if (this.sendFailure) return error(this.sendFailure, "send.failed");
        const existing = this.messages.find((x) => x.client_message_id === c.body!.client_message_id);
        if (existing) return Response.json(existing, { status: 200 });
        const mediaId = c.body!.media_id as string | undefined;
        const media = mediaId ? this.uploads.get(mediaId) : undefined;
        if (mediaId && !media) return error(404, "media.not_found");
        const top = media?.mime.split("/")[0];
        const message = agentMessage(this.seq++, (c.body!.body as string | undefined) ?? null, {
          ...(media ? { media, type: top === "image" || top === "video" || top === "audio" ? top : "document" } : {}),
          direction: "inbound",
          client_message_id: String(c.body!.client_message_id),
          sender: { type: "contact", id: "ct1", name: null, jid: null },
        });
        this.messages.push(message);
        return Response.json(message, { status: 201 });
      }
      case "POST media": {
        if (this.uploadGate) await this.uploadGate;
        if (this.uploadFailure) return error(this.uploadFailure, "media.too_large");
        if (!c.file) return error(400, "request.invalid");
        const id = uuid7(this.seq++);
        const media: Media = { id, mime: c.file.type, size: c.file.size, url: `/api/v1/media/${id}?key=k`, filename: c.file.name };
        this.uploads.set(id, media);
        return Response.json(media, { status: 201 });
      }
      case "POST delivered":
      case "POST read":
      case "POST typing":
        return new Response(null, { status: 204 });
    }
    return error(404, "not_found");
  }
}
