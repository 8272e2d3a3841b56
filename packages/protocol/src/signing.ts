/**
 * HMAC-SHA256 signatures of the Pusher protocol, compared in constant time. Node only
 * (`node:crypto`); the browser-safe parts of the package are in `./index.ts`.
 *
 * Sources: pusher/docs `auth-signatures.md` (channel authorization), `pusher-websockets-protocol.md`
 * § `pusher:signin` with pusher-http-node `lib/auth.js` (user authentication), `rest-api.md`
 * § Authentication (HTTP API request signing).
 */
import { createHmac, hash, timingSafeEqual } from "node:crypto";
export { isValidSocketId } from "./pusher/socket-id.ts";

/** An app's public key and its secret. */
export interface AppCredentials {
  key: string;
  secret: string;
}

/** Hex HMAC-SHA256 of `message` (UTF-8) keyed with `secret`. */
export function hmacSha256Hex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

/** Hex MD5 of `body` (UTF-8), the `body_md5` of the HTTP API. */
export function md5Hex(body: string): string {
  // The one-shot form: no Hash object per request (the HTTP API checks one per publish).
  return hash("md5", body, "hex");
}

/**
 * Constant-time equality of a received value and the expected one, for values whose length is
 * public: every caller compares a hex digest, `sha256={hex}` or `{public key}:{hex}`, whose length
 * the algorithm fixes. Byte lengths that differ answer false at once, which tells a caller nothing
 * the algorithm does not; equal lengths go through `timingSafeEqual`, whose time does not depend on
 * where the bytes differ (it throws on unequal lengths, hence the check). Never throws.
 */
export function constantTimeEqual(actual: string, expected: string): boolean {
  const a = Buffer.from(actual, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

function channelAuthString(socketId: string, channelName: string, channelData?: string): string {
  return channelData === undefined ? `${socketId}:${channelName}` : `${socketId}:${channelName}:${channelData}`;
}

/**
 * Signs a channel subscription (auth-signatures.md): `"{key}:{hex HMAC-SHA256(secret,
 * socket_id:channel_name[:channel_data])}"`. `channelData` is the exact JSON string the client
 * will send as `channel_data` (presence channels only).
 */
export function signChannelAuth(app: AppCredentials, socketId: string, channelName: string, channelData?: string): string {
  return `${app.key}:${hmacSha256Hex(app.secret, channelAuthString(socketId, channelName, channelData))}`;
}

/**
 * Verifies the `auth` of a `pusher:subscribe` in constant time.
 * @param auth the client's `auth` value (any type; non-strings fail).
 * @returns true only when `auth` is exactly `{key}:{expected hex signature}`. Never throws.
 */
export function verifyChannelAuth(app: AppCredentials, socketId: string, channelName: string, auth: unknown, channelData?: string): boolean {
  if (typeof auth !== "string") return false;
  return constantTimeEqual(auth, signChannelAuth(app, socketId, channelName, channelData));
}

/**
 * Signs a user authentication for `pusher:signin` (pusher-http-node `getSocketSignatureForUser`):
 * `"{key}:{hex HMAC-SHA256(secret, socket_id + "::user::" + user_data)}"`.
 */
export function signUserAuth(app: AppCredentials, socketId: string, userData: string): string {
  return `${app.key}:${hmacSha256Hex(app.secret, `${socketId}::user::${userData}`)}`;
}

/** Verifies the `auth` of a `pusher:signin` in constant time. Never throws. */
export function verifyUserAuth(app: AppCredentials, socketId: string, userData: unknown, auth: unknown): boolean {
  if (typeof auth !== "string" || typeof userData !== "string") return false;
  return constantTimeEqual(auth, signUserAuth(app, socketId, userData));
}

/**
 * The `X-Pusher-Signature` of a webhook (webhooks.md § Authentication): hex HMAC-SHA256 of the
 * exact body bytes sent, keyed with the app secret. `X-Pusher-Key` carries the app key.
 */
export function signWebhook(app: AppCredentials, body: string): string {
  return hmacSha256Hex(app.secret, body);
}

/**
 * Verifies a webhook as a receiving backend does (pusher-http-node `WebHook.isValid`): the key
 * is the app's and the signature matches the body, compared in constant time. Never throws.
 */
export function verifyWebhook(app: AppCredentials, headers: { key: unknown; signature: unknown }, body: string): boolean {
  if (headers.key !== app.key || typeof headers.signature !== "string") return false;
  return constantTimeEqual(headers.signature, signWebhook(app, body));
}

/** Largest accepted distance between `auth_timestamp` and the server clock, in seconds (rest-api.md). */
export const MAX_TIMESTAMP_SKEW_SECONDS = 600;

/** Query parameter values as a signer gives them. */
export type QueryValues = Record<string, string | number>;

/** A request to sign for the HTTP API. */
export interface HttpApiRequestToSign {
  /** HTTP method, any case. */
  method: string;
  /** Request path exactly as sent, e.g. `/apps/3/events`, not URL-escaped. */
  path: string;
  /** Extra query parameters (not the auth ones). */
  params?: QueryValues;
  /** Raw body; a non-empty body adds `body_md5`. */
  body?: string;
  /** `auth_timestamp`, seconds since the epoch; default now. */
  timestamp?: number;
}

/** The string the HTTP API signs: `METHOD\nPATH\nk=v&…` with keys lower-cased and sorted, values not escaped. */
export function httpApiStringToSign(method: string, path: string, params: Iterable<readonly [string, string]>): string {
  const pairs = [...params].map(([k, v]) => [k.toLowerCase(), v] as const);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${method.toUpperCase()}\n${path}\n${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;
}

/**
 * Signs an HTTP API request (rest-api.md § Generating authentication signatures).
 * @returns every query parameter to send, the auth ones included, as strings.
 * @throws {Error} when `params` tries to set an `auth_*` or `body_md5` parameter.
 */
export function signHttpApiRequest(app: AppCredentials, request: HttpApiRequestToSign): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.params ?? {})) {
    if (RESERVED_PARAMS.has(key.toLowerCase())) throw new Error(`${key} is set by the signer`);
    query[key] = String(value);
  }
  query.auth_key = app.key;
  query.auth_timestamp = String(request.timestamp ?? Math.floor(Date.now() / 1000));
  query.auth_version = "1.0";
  if (request.body) query.body_md5 = md5Hex(request.body);
  query.auth_signature = hmacSha256Hex(app.secret, httpApiStringToSign(request.method, request.path, Object.entries(query)));
  return query;
}

const RESERVED_PARAMS = new Set(["auth_key", "auth_timestamp", "auth_version", "auth_signature", "body_md5"]);

/** A received HTTP API request to verify. */
export interface HttpApiRequestToVerify {
  method: string;
  /** Path as received on the wire (before `?`), e.g. `/apps/3/events`. */
  path: string;
  /** Decoded query parameters in wire order (e.g. `new URLSearchParams(rawQuery)`). */
  query: Iterable<readonly [string, string]>;
  /** Raw body, exactly the bytes received decoded as UTF-8; empty or undefined when none. */
  body?: string;
  /** Server clock, ms since the epoch; default `Date.now()`. */
  nowMs?: number;
}

/** Outcome of {@link verifyHttpApiRequest}; `reason` is safe to show to the caller. */
export type HttpApiVerification = { ok: true } | { ok: false; reason: string };

/**
 * Verifies an HTTP API request (rest-api.md § Authentication): `auth_key` is the app key,
 * `auth_version` is `1.0`, `auth_timestamp` is within 600 s of the server clock, `body_md5`
 * matches a non-empty body, and `auth_signature` matches in constant time. Never throws.
 */
export function verifyHttpApiRequest(app: AppCredentials, request: HttpApiRequestToVerify): HttpApiVerification {
  const signed: Array<readonly [string, string]> = [];
  const auth = new Map<string, string>();
  for (const [key, value] of request.query) {
    const lower = key.toLowerCase();
    if (RESERVED_PARAMS.has(lower)) {
      if (auth.has(lower)) return { ok: false, reason: `Duplicate ${lower} parameter` };
      auth.set(lower, value);
    }
    if (lower !== "auth_signature") signed.push([key, value]);
  }
  const signature = auth.get("auth_signature");
  if (signature === undefined) return { ok: false, reason: "Missing auth_signature" };
  if (auth.get("auth_key") !== app.key) return { ok: false, reason: "Unknown auth_key" };
  if (auth.get("auth_version") !== "1.0") return { ok: false, reason: "auth_version must be 1.0" };
  const timestamp = Number(auth.get("auth_timestamp"));
  const nowSeconds = (request.nowMs ?? Date.now()) / 1000;
  if (!/^\d+$/.test(auth.get("auth_timestamp") ?? "") || Math.abs(nowSeconds - timestamp) > MAX_TIMESTAMP_SKEW_SECONDS) {
    return { ok: false, reason: `auth_timestamp must be within ${MAX_TIMESTAMP_SKEW_SECONDS} s of the server time` };
  }
  if (request.body) {
    const md5 = auth.get("body_md5");
    if (md5 === undefined || !constantTimeEqual(md5, md5Hex(request.body))) {
      return { ok: false, reason: "body_md5 does not match the body" };
    }
  }
  const expected = hmacSha256Hex(app.secret, httpApiStringToSign(request.method, request.path, signed));
  if (!constantTimeEqual(signature, expected)) return { ok: false, reason: "Invalid auth_signature" };
  return { ok: true };
}
