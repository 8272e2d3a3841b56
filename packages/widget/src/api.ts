import type { Media, Message, Profile, Session, WidgetConfig, WidgetSession } from "./protocol.ts";

/** The subset of `fetch` the widget uses; injectable for tests. */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * Every failure of an API call. `status` is the HTTP status, or 0 when no answer came back
 * (`code` "network"). `code` is the server's stable error code (`{"error":{"code"}}`), else
 * "http_<status>", or "bad_response" for a 2xx whose body is not the expected JSON.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** True for the answers that mean "this session token is no longer valid". */
export function isAuthError(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/**
 * HTTP client for the widget API under `{baseUrl}/api/v1/widget/{widgetKey}` and for
 * `/broadcasting/auth`. All methods reject with ApiError only.
 */
export class Api {
  private readonly root: string;

  /**
   * @param baseUrl   server origin (plus optional path prefix), without a trailing slash.
   * @param widgetKey the site's public widget key ("wk_...").
   */
  constructor(
    readonly baseUrl: string,
    widgetKey: string,
    private readonly fetcher: FetchLike,
  ) {
    this.root = `${baseUrl}/api/v1/widget/${encodeURIComponent(widgetKey)}`;
  }

  /** `GET /config` → name, colour, position and whether any agent is online. */
  config(): Promise<WidgetConfig> {
    return this.call<WidgetConfig>("GET", "/config");
  }

  /** `POST /sessions` → 201 a new contact, conversation and session token. */
  createSession(profile: Profile): Promise<Session> {
    return this.call<Session>("POST", "/sessions", undefined, profile);
  }

  /** `GET /session` → the session of a stored token; 401 when it is invalid or expired. */
  resumeSession(token: string): Promise<WidgetSession> {
    return this.call<WidgetSession>("GET", "/session", token);
  }

  /**
   * `GET /messages?after=&limit=` → messages oldest first: those after `after` (a message id),
   * or the latest page without it.
   */
  async messages(token: string, after: string | null, limit = 50): Promise<Message[]> {
    const query = `${after ? `after=${encodeURIComponent(after)}&` : ""}limit=${limit}`;
    const page = await this.call<{ data: Message[] }>("GET", `/messages?${query}`, token);
    if (!Array.isArray(page.data)) throw new ApiError(200, "bad_response", "messages: no data array");
    return page.data;
  }

  /**
   * `GET /messages?updated_after=` → messages created or changed since `since` (ISO-8601), oldest
   * change first: how ticks that moved while the socket was down are caught up.
   */
  async changedSince(token: string, since: string, limit = 200): Promise<Message[]> {
    const page = await this.call<{ data: Message[] }>("GET", `/messages?updated_after=${encodeURIComponent(since)}&limit=${limit}`, token);
    if (!Array.isArray(page.data)) throw new ApiError(200, "bad_response", "messages: no data array");
    return page.data;
  }

  /**
   * `POST /messages` → the stored message (201, or 200 when client_message_id was seen before):
   * text, or an uploaded attachment (`mediaId`) with `body` as its optional caption.
   */
  send(token: string, body: string, clientMessageId: string, mediaId?: string): Promise<Message> {
    const content = mediaId ? { media_id: mediaId, ...(body ? { body } : {}) } : { body };
    return this.call<Message>("POST", "/messages", token, { ...content, client_message_id: clientMessageId });
  }

  /**
   * `POST /media` (multipart field `file`) → 201 the stored attachment, whose `id` a send names.
   * The server refuses more than 10 MB with 413 `media.too_large`.
   */
  upload(token: string, file: Blob, name: string): Promise<Media> {
    const form = new FormData();
    form.append("file", file, name);
    return this.call<Media>("POST", "/media", token, form);
  }

  /** `POST /delivered` or `/read` (204): agent messages up to and including `upTo` reached the visitor. */
  receipt(token: string, kind: "delivered" | "read", upTo: string): Promise<void> {
    return this.call<void>("POST", `/${kind}`, token, { up_to_message_id: upTo }, true);
  }

  /** `POST /typing` (204): the typing signal when the socket is down. */
  typing(token: string, isTyping: boolean): Promise<void> {
    return this.call<void>("POST", "/typing", token, { is_typing: isTyping }, true);
  }

  /**
   * `POST {baseUrl}{endpoint}` `{socket_id, channel_name}` → the Pusher `auth` string for a
   * private channel subscription.
   */
  async authorize(token: string, endpoint: string, socketId: string, channel: string): Promise<string> {
    const body = { socket_id: socketId, channel_name: channel };
    const answer = await this.call<{ auth?: unknown }>("POST", endpoint, token, body, false, this.baseUrl);
    if (typeof answer.auth !== "string") throw new ApiError(200, "bad_response", "auth: no auth string");
    return answer.auth;
  }

  // `empty`: any 2xx is success and the body is ignored (204 endpoints; tolerate a 200 "{}").
  private async call<T>(method: string, path: string, token?: string, body?: unknown, empty = false, root = this.root): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    // FormData sets its own multipart Content-Type, boundary included.
    const form = body instanceof FormData;
    if (body !== undefined && !form) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetcher(root + path, {
        method,
        headers,
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, "network", String(error));
    }
    if (res.status === 204 || (empty && res.ok)) return undefined as T;
    let json: unknown = null;
    try {
      json = await res.json();
    } catch {
      // Judged below: an error status keeps its status, a 2xx without JSON is a bad response.
    }
    if (!res.ok) {
      const err = (json as ErrorBody | null)?.error;
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? `HTTP ${res.status}`);
    }
    if (json === null || typeof json !== "object") throw new ApiError(res.status, "bad_response", "expected a JSON object");
    return json as T;
  }
}
