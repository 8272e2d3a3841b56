/**
 * Graph API refusals → `ProviderError` (domain/providers/provider.ts): whether sending again can
 * help, after how long, and a reason fit to show an agent.
 *
 * Sources: Meta's "WhatsApp error codes" (developers.facebook.com/documentation/business-messaging/
 * whatsapp/support/error-codes) for the codes, titles and HTTP statuses; "Throughput" for 130429
 * (80 messages/s per number) and the pair rate limit 131056 (one message every 6 s to the same
 * user). Meta recommends deciding on `code` (and `error_data.details`), never on the title, which
 * only appears inside `message` as `"(#131047) Re-engagement message"`.
 */
import { ProviderError } from "../../domain/providers/provider.ts";

/** Meta's error body: `{error: {message, type, code, error_subcode, error_data: {details}, fbtrace_id}}`. */
export interface GraphErrorBody {
  error: {
    message?: string;
    type?: string;
    code?: number;
    error_subcode?: number;
    error_data?: { messaging_product?: string; details?: string };
    fbtrace_id?: string;
  };
}

/**
 * Default wait after 130429 (throughput reached) when Meta sends no Retry-After: 5 s. Throughput
 * is counted per second, so a few seconds let the number's window drain and the sends already in
 * flight finish, without stalling a live conversation for long.
 */
export const THROUGHPUT_BACKOFF_MS = 5_000;
/** Default wait after 131056 (pair rate limit): 6 s, Meta's one message every 6 s per user pair. */
export const PAIR_RATE_BACKOFF_MS = 6_000;
/** Default wait after an app or account call-rate limit (4, 17, 613, 80007): 60 s; those windows are an hour long. */
export const CALL_RATE_BACKOFF_MS = 60_000;

type Rule = { retry: "later"; backoffMs: number | null } | { retry: "never"; reason?: string };

const TOKEN_REASON = "The access token is invalid or expired";
const PERMISSION_REASON = "The access token lacks permission for this WhatsApp number (whatsapp_business_messaging)";

/** Codes whose handling Meta documents; anything else falls back on the HTTP status. */
const rules: Record<number, Rule> = {
  0: { retry: "never", reason: TOKEN_REASON },
  190: { retry: "never", reason: TOKEN_REASON },
  3: { retry: "never", reason: PERMISSION_REASON },
  10: { retry: "never", reason: PERMISSION_REASON },
  1: { retry: "later", backoffMs: null },
  2: { retry: "later", backoffMs: null },
  4: { retry: "later", backoffMs: CALL_RATE_BACKOFF_MS },
  17: { retry: "later", backoffMs: CALL_RATE_BACKOFF_MS },
  613: { retry: "later", backoffMs: CALL_RATE_BACKOFF_MS },
  80007: { retry: "later", backoffMs: CALL_RATE_BACKOFF_MS },
  130429: { retry: "later", backoffMs: THROUGHPUT_BACKOFF_MS },
  131056: { retry: "later", backoffMs: PAIR_RATE_BACKOFF_MS },
  131000: { retry: "later", backoffMs: null },
  131016: { retry: "later", backoffMs: null },
  131057: { retry: "later", backoffMs: null },
  133004: { retry: "later", backoffMs: null },
  100: { retry: "never" },
  368: { retry: "never" },
  131005: { retry: "never" },
  131008: { retry: "never" },
  131009: { retry: "never" },
  131021: { retry: "never" },
  131026: { retry: "never" },
  131031: { retry: "never" },
  131042: { retry: "never" },
  131045: { retry: "never" },
  131047: { retry: "never" },
  131048: { retry: "never" },
  131049: { retry: "never" },
  131050: { retry: "never" },
  131051: { retry: "never" },
  131052: { retry: "never" },
  131053: { retry: "never" },
  133010: { retry: "never" },
};

function ruleFor(code: number | null, httpStatus: number): Rule {
  if (code !== null) {
    const rule = rules[code];
    if (rule) return rule;
    if (code >= 200 && code <= 299) return { retry: "never", reason: PERMISSION_REASON };
    // 132xxx are template errors (missing, paused, parameter mismatch): resending the same template cannot help.
    if (code >= 132000 && code <= 132999) return { retry: "never" };
  }
  if (httpStatus === 401) return { retry: "never", reason: TOKEN_REASON };
  if (httpStatus === 429 || httpStatus >= 500) return { retry: "later", backoffMs: null };
  return { retry: "never" };
}

/**
 * The agent-facing reason from Meta's title and details: `"Re-engagement message: Message failed
 * to send because more than 24 hours have passed…"`, or the title alone when the details add
 * nothing. Also used for failed statuses in webhooks, so both paths read alike.
 */
export function metaErrorReason(title: string | null | undefined, details: string | null | undefined): string {
  const cleanTitle = title?.replace(/^\(#\d+\)\s*/, "").trim() || null;
  const cleanDetails = details?.trim() || null;
  if (cleanTitle && cleanDetails && cleanDetails.toLowerCase() !== cleanTitle.toLowerCase()) return `${cleanTitle}: ${cleanDetails}`;
  return cleanTitle ?? cleanDetails ?? "WhatsApp refused the message without a reason";
}

/**
 * Reads `Retry-After` (delta-seconds or an HTTP date) as ms from `nowMs`; null when absent or
 * unreadable. RFC 9110 § 10.2.3.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === "") return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

function asGraphError(body: unknown): GraphErrorBody["error"] | null {
  if (typeof body !== "object" || body === null || !("error" in body)) return null;
  const error = (body as { error: unknown }).error;
  return typeof error === "object" && error !== null ? (error as GraphErrorBody["error"]) : null;
}

/** What the Graph API answered to a failed call. */
export interface GraphFailure {
  /** HTTP status. */
  status: number;
  /** The `Retry-After` header, when sent. */
  retryAfter: string | null;
  /** The parsed JSON body (Meta's error body), or the raw text when it was not JSON. */
  body: unknown;
}

/**
 * Maps a non-2xx Graph answer to a ProviderError: `providerCode` is Meta's `code` as a string
 * (null when the body had none); `retryAfterMs` honours Retry-After, else the code's documented
 * default (see the constants above), else null.
 */
export function providerErrorFromGraph(failure: GraphFailure, nowMs = Date.now()): ProviderError {
  const error = asGraphError(failure.body);
  const code = typeof error?.code === "number" ? error.code : null;
  const rule = ruleFor(code, failure.status);
  const title = error?.message ?? null;
  const details = error?.error_data?.details ?? null;
  const cause = { httpStatus: failure.status, graphError: error ?? failure.body };
  if (rule.retry === "later") {
    const retryAfterMs = parseRetryAfter(failure.retryAfter, nowMs) ?? rule.backoffMs;
    const reason = error ? metaErrorReason(title, details) : `Meta's Graph API answered HTTP ${failure.status}`;
    return new ProviderError({ retry: "later", reason, providerCode: code === null ? null : String(code), retryAfterMs, cause });
  }
  const reason = rule.reason ?? (error ? metaErrorReason(title, details) : `Meta's Graph API refused the request (HTTP ${failure.status})`);
  return new ProviderError({ retry: "never", reason, providerCode: code === null ? null : String(code), cause });
}

/**
 * Maps a call that got no answer (network failure, DNS, reset, or our own timeout) to a
 * ProviderError with `retry: "later"`. `timeoutMs` names the limit in the reason.
 */
export function providerErrorFromNetwork(error: unknown, timeoutMs: number): ProviderError {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return new ProviderError({ retry: "later", reason: `Meta's Graph API did not answer within ${timeoutMs} ms`, cause: error });
  }
  const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
  return new ProviderError({ retry: "later", reason: `Could not reach Meta's Graph API: ${detail}`, cause: error });
}
