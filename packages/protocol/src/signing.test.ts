import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  md5Hex,
  signChannelAuth,
  signHttpApiRequest,
  signUserAuth,
  verifyChannelAuth,
  verifyHttpApiRequest,
  verifyUserAuth,
  signWebhook,
  verifyWebhook,
} from "./signing.ts";

// Worked examples of pusher/docs auth-signatures.md and rest-api.md.
const docApp = { key: "278d425bdf160c739803", secret: "7ad3773142a6692b25b8" };

describe("channel authorization signatures", () => {
  it("matches the private channel worked example", () => {
    expect(signChannelAuth(docApp, "1234.1234", "private-foobar")).toBe(
      "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
    );
  });

  // The presence example of auth-signatures.md does not reproduce (its published digest matches
  // none of the plausible encodings of its channel_data), so check the documented recipe
  // `socket_id:channel_name:channel_data` against an independent HMAC instead.
  it("signs presence subscriptions over socket_id:channel:channel_data", () => {
    const channelData = '{"user_id":10,"user_info":{"name":"Mr. Channels"}}';
    const expected = createHmac("sha256", docApp.secret).update(`1234.1234:presence-foobar:${channelData}`).digest("hex");
    expect(signChannelAuth(docApp, "1234.1234", "presence-foobar", channelData)).toBe(`${docApp.key}:${expected}`);
  });

  it("verifies a good signature and refuses tampered ones", () => {
    const auth = signChannelAuth(docApp, "1.2", "private-a");
    expect(verifyChannelAuth(docApp, "1.2", "private-a", auth)).toBe(true);
    expect(verifyChannelAuth(docApp, "1.3", "private-a", auth)).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "private-b", auth)).toBe(false);
    expect(verifyChannelAuth({ ...docApp, key: "other" }, "1.2", "private-a", auth)).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "private-a", auth.slice(0, -1))).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "private-a", `${auth}0`)).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "private-a", undefined)).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "private-a", 42)).toBe(false);
  });

  it("binds presence signatures to the exact channel_data", () => {
    const data = '{"user_id":"u1"}';
    const auth = signChannelAuth(docApp, "1.2", "presence-a", data);
    expect(verifyChannelAuth(docApp, "1.2", "presence-a", auth, data)).toBe(true);
    expect(verifyChannelAuth(docApp, "1.2", "presence-a", auth, '{"user_id":"u2"}')).toBe(false);
    expect(verifyChannelAuth(docApp, "1.2", "presence-a", auth)).toBe(false);
  });

  it("signs and verifies user authentication for pusher:signin", () => {
    const userData = '{"id":"u1"}';
    const auth = signUserAuth(docApp, "1.2", userData);
    expect(verifyUserAuth(docApp, "1.2", userData, auth)).toBe(true);
    expect(verifyUserAuth(docApp, "1.2", '{"id":"u2"}', auth)).toBe(false);
    expect(verifyUserAuth(docApp, "1.2", userData, null)).toBe(false);
  });

  it("compares strings of different lengths without throwing", () => {
    expect(constantTimeEqual("a", "ab")).toBe(false);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("abc", "abc")).toBe(true);
  });

  it("tells apart values of one length that differ anywhere, by bytes not characters", () => {
    expect(constantTimeEqual("abc", "abd")).toBe(false);
    expect(constantTimeEqual("xbc", "abc")).toBe(false);
    // One character but two bytes against two one-byte characters: equal byte lengths, unequal bytes.
    expect(constantTimeEqual("é", "ab")).toBe(false);
    expect(constantTimeEqual("é", "é")).toBe(true);
  });
});

describe("HTTP API request signatures", () => {
  const body = '{"name":"foo","channels":["project-3"],"data":"{\\"some\\":\\"data\\"}"}';

  it("matches the rest-api.md worked example", () => {
    expect(md5Hex(body)).toBe("ec365a775a4cd0599faeb73354201b6f");
    const query = signHttpApiRequest(docApp, { method: "POST", path: "/apps/3/events", body, timestamp: 1353088179 });
    expect(query).toEqual({
      auth_key: "278d425bdf160c739803",
      auth_timestamp: "1353088179",
      auth_version: "1.0",
      body_md5: "ec365a775a4cd0599faeb73354201b6f",
      auth_signature: "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c",
    });
  });

  const nowMs = 1353088179_000;
  const verify = (query: Record<string, string>, overrides: { body?: string; nowMs?: number; path?: string; method?: string } = {}) =>
    verifyHttpApiRequest(docApp, {
      method: overrides.method ?? "POST",
      path: overrides.path ?? "/apps/3/events",
      query: Object.entries(query),
      body: overrides.body ?? body,
      nowMs: overrides.nowMs ?? nowMs,
    });
  const signed = () => signHttpApiRequest(docApp, { method: "POST", path: "/apps/3/events", body, timestamp: 1353088179 });

  it("accepts a correctly signed request", () => {
    expect(verify(signed())).toEqual({ ok: true });
  });

  it("accepts extra parameters, sorted with lower-cased keys", () => {
    const query = signHttpApiRequest(docApp, {
      method: "GET",
      path: "/apps/3/channels",
      params: { info: "user_count", filter_by_prefix: "presence-" },
      timestamp: 1353088179,
    });
    expect(verify(query, { method: "get", path: "/apps/3/channels", body: "" })).toEqual({ ok: true });
    expect(verify({ ...query, info: "subscription_count" }, { method: "GET", path: "/apps/3/channels", body: "" }).ok).toBe(false);
  });

  it("refuses a stale or future timestamp (more than 600 s away)", () => {
    expect(verify(signed(), { nowMs: nowMs + 600_000 }).ok).toBe(true);
    expect(verify(signed(), { nowMs: nowMs + 601_000 })).toEqual({ ok: false, reason: expect.stringContaining("auth_timestamp") });
    expect(verify(signed(), { nowMs: nowMs - 601_000 }).ok).toBe(false);
  });

  it("refuses a body that does not match body_md5", () => {
    expect(verify(signed(), { body: body.replace("foo", "bar") })).toEqual({ ok: false, reason: expect.stringContaining("body_md5") });
  });

  it("refuses a wrong secret, key, version, path or method", () => {
    const wrongSecret = signHttpApiRequest({ ...docApp, secret: "nope" }, { method: "POST", path: "/apps/3/events", body, timestamp: 1353088179 });
    expect(verify(wrongSecret)).toEqual({ ok: false, reason: "Invalid auth_signature" });
    expect(verify({ ...signed(), auth_key: "other" }).ok).toBe(false);
    expect(verify({ ...signed(), auth_version: "2.0" }).ok).toBe(false);
    expect(verify(signed(), { path: "/apps/4/events" }).ok).toBe(false);
    expect(verify(signed(), { method: "PUT" }).ok).toBe(false);
    const { auth_signature: _, ...unsigned } = signed();
    expect(verify(unsigned).ok).toBe(false);
  });

  it("refuses duplicated auth parameters", () => {
    const query = signed();
    const entries: Array<[string, string]> = [...Object.entries(query), ["auth_timestamp", "1"]];
    expect(verifyHttpApiRequest(docApp, { method: "POST", path: "/apps/3/events", query: entries, body, nowMs }).ok).toBe(false);
  });

  it("will not let callers override auth parameters", () => {
    expect(() => signHttpApiRequest(docApp, { method: "GET", path: "/x", params: { auth_key: "k" } })).toThrow(/set by the signer/);
  });
});

describe("webhook signatures", () => {
  const body = '{"time_ms":1327078148132,"events":[{"name":"channel_occupied","channel":"test"}]}';

  it("signs the exact body with the app secret (hex HMAC-SHA256)", () => {
    expect(signWebhook(docApp, body)).toBe(createHmac("sha256", docApp.secret).update(body).digest("hex"));
  });

  it("verifies the key and signature, and refuses another key, body or signature", () => {
    const signature = signWebhook(docApp, body);
    expect(verifyWebhook(docApp, { key: docApp.key, signature }, body)).toBe(true);
    expect(verifyWebhook(docApp, { key: "other", signature }, body)).toBe(false);
    expect(verifyWebhook(docApp, { key: docApp.key, signature }, `${body} `)).toBe(false);
    expect(verifyWebhook(docApp, { key: docApp.key, signature: signature.slice(1) }, body)).toBe(false);
    expect(verifyWebhook(docApp, { key: docApp.key, signature: undefined }, body)).toBe(false);
  });
});
