/**
 * The one HTTP client of the inbox: JSON in and out, the bearer token, Parley's error shape.
 * Stores call it through their module's api/*.ts; nothing else calls fetch.
 */

import { t } from "../i18n/index.ts";
/** A failed request. `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds to wait before retrying (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface HttpHooks {
  /** The bearer token to send, or null when signed out. */
  token(): string | null;
  /** Called on a 401 from an authenticated request: the token is no longer valid. */
  unauthorized(): void;
  /** The server's clock from each response's Date header (catch-up cursors use server time). */
  serverTime(date: Date): void;
  /** The UI's language, sent as Accept-Language so error messages come back in it. */
  locale(): string;
}

let hooks: HttpHooks = { token: () => null, unauthorized: () => {}, serverTime: () => {}, locale: () => "en" };

/** Installs the session callbacks (done once by main.ts). */
export function configureHttp(next: Partial<HttpHooks>): void {
  hooks = { ...hooks, ...next };
}

export type Query = Record<string, string | number | null | undefined>;

/** Appends the defined entries of `query` to `path`. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes("?") ? "&" : "?"}${text}` : path;
}

/**
 * Sends one request to Parley and parses the JSON answer. Throws ApiError for any non-2xx
 * answer (with Parley's `{error:{code,message,field}}`) and for network failures (status 0).
 */
export async function http<T>(method: string, path: string, body?: unknown, init: { signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json", "accept-language": hooks.locale() };
  const token = hooks.token();
  if (token) headers["authorization"] = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network", t("errors.network"));
  }
  const date = response.headers.get("date");
  if (date) {
    const parsed = new Date(date);
    if (!Number.isNaN(parsed.getTime())) hooks.serverTime(parsed);
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    if (response.status === 401 && token) hooks.unauthorized();
    const retryAfter = Number(response.headers.get("retry-after")) || undefined;
    throw new ApiError(
      response.status,
      error?.code ?? `http.${response.status}`,
      error?.message ?? t("errors.requestFailed", { status: response.status }),
      error?.field,
      retryAfter,
    );
  }
  return parsed as T;
}

/** Human text for any error a request can throw. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return t("errors.generic");
}

/**
 * Uploads `form` (multipart) with XMLHttpRequest, because fetch reports no upload progress.
 * `onProgress` gets the fraction sent (0–1). Resolves to the parsed JSON answer; throws ApiError
 * like `http` (413 too large, 415 type not accepted…) and an AbortError when `signal` aborts.
 */
export function upload<T>(path: string, form: FormData, options: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new DOMException("The upload was cancelled.", "AbortError"));
      return;
    }
    const request = new XMLHttpRequest();
    const token = hooks.token();
    request.open("POST", path);
    request.setRequestHeader("accept", "application/json");
    request.setRequestHeader("accept-language", hooks.locale());
    if (token) request.setRequestHeader("authorization", `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) options.onProgress?.(event.loaded / event.total);
    };
    const abort = () => request.abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const done = () => options.signal?.removeEventListener("abort", abort);
    request.onabort = () => {
      done();
      reject(new DOMException("The upload was cancelled.", "AbortError"));
    };
    request.onerror = () => {
      done();
      reject(new ApiError(0, "network", t("errors.network")));
    };
    request.onload = () => {
      done();
      let parsed: unknown = null;
      try {
        parsed = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        parsed = null;
      }
      if (request.status >= 200 && request.status < 300) {
        options.onProgress?.(1);
        resolve(parsed as T);
        return;
      }
      const error = (parsed as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
      if (request.status === 401 && token) hooks.unauthorized();
      reject(
        new ApiError(
          request.status,
          error?.code ?? `http.${request.status}`,
          error?.message ?? t("errors.uploadFailed", { status: request.status }),
          error?.field,
        ),
      );
    };
    request.send(form);
  });
}

/**
 * Downloads `path` as a Blob, reading the body as it arrives so `onProgress` can report the bytes
 * and the complete lines (line feeds) received so far: a JSONL export's lines are its records. The
 * total is unknown for streamed answers. Throws ApiError like `http` for a
 * non-2xx answer (its JSON error read from the body) and for network failures, and an AbortError
 * when `signal` aborts.
 */
export async function download(path: string, options: { onProgress?: (bytes: number, lines: number) => void; signal?: AbortSignal } = {}): Promise<Blob> {
  const headers: Record<string, string> = { "accept-language": hooks.locale() };
  const token = hooks.token();
  if (token) headers["authorization"] = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, { headers, ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network", t("errors.network"));
  }
  if (!response.ok) {
    const parsed = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; field?: string } } | null;
    if (response.status === 401 && token) hooks.unauthorized();
    throw new ApiError(
      response.status,
      parsed?.error?.code ?? `http.${response.status}`,
      parsed?.error?.message ?? t("errors.requestFailed", { status: response.status }),
      parsed?.error?.field,
    );
  }
  const type = response.headers.get("content-type") ?? "application/octet-stream";
  if (!response.body) return new Blob([await response.arrayBuffer()], { type });
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let received = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    received += value.byteLength;
    // A line feed byte (0x0A) never occurs inside a multi-byte UTF-8 character.
    for (let index = value.indexOf(10); index !== -1; index = value.indexOf(10, index + 1)) lines++;
    options.onProgress?.(received, lines);
  }
  return new Blob(parts as BlobPart[], { type });
}
