import { describe, expect, it } from "vitest";
import { ProviderError } from "../../domain/providers/provider.ts";
import {
  CALL_RATE_BACKOFF_MS,
  metaErrorReason,
  PAIR_RATE_BACKOFF_MS,
  parseRetryAfter,
  providerErrorFromGraph,
  providerErrorFromNetwork,
  THROUGHPUT_BACKOFF_MS,
} from "./errors.ts";
import { metaErrorBody } from "./testing/meta-errors.ts";

const fromCode = (code: number, retryAfter: string | null = null) => {
  const { status, body } = metaErrorBody(code);
  return providerErrorFromGraph({ status, retryAfter, body }, 0);
};

describe("providerErrorFromGraph", () => {
  it.each([
    [130429, "later", THROUGHPUT_BACKOFF_MS],
    [131056, "later", PAIR_RATE_BACKOFF_MS],
    [80007, "later", CALL_RATE_BACKOFF_MS],
    [131000, "later", null],
    [131047, "never", null],
    [131026, "never", null],
    [131049, "never", null],
    [131050, "never", null],
    [131051, "never", null],
    [131052, "never", null],
    [131053, "never", null],
    [100, "never", null],
    [132000, "never", null],
    [132001, "never", null],
    [132015, "never", null],
    [368, "never", null],
    [190, "never", null],
  ] as const)("maps code %i to retry %s (after %s ms)", (code, retry, retryAfterMs) => {
    const error = fromCode(code);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retry, retryAfterMs, providerCode: String(code) });
  });

  it("gives Meta's title, without the (#code) prefix, and the details as the reason", () => {
    expect(fromCode(131047).reason).toBe(
      "Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
    );
    expect(fromCode(131026).reason).toBe("Message Undeliverable: Unable to deliver message.");
  });

  it("gives a clear reason for token errors, by code or by HTTP 401", () => {
    expect(fromCode(190).reason).toBe("The access token is invalid or expired");
    const bare = providerErrorFromGraph({ status: 401, retryAfter: null, body: "Unauthorized" });
    expect(bare).toMatchObject({ retry: "never", reason: "The access token is invalid or expired", providerCode: null });
  });

  it("treats permission codes (10, 200-299) as never, naming the permission", () => {
    for (const code of [10, 200, 299]) {
      const error = providerErrorFromGraph({ status: 403, retryAfter: null, body: { error: { message: "(#200) Permissions error", code } } });
      expect(error.retry).toBe("never");
      expect(error.reason).toContain("whatsapp_business_messaging");
    }
  });

  it("honours Retry-After in seconds or as a date over the default back-off", () => {
    expect(fromCode(130429, "12").retryAfterMs).toBe(12_000);
    const at = new Date(30_000).toUTCString();
    expect(fromCode(131056, at).retryAfterMs).toBe(30_000);
  });

  it("falls back on the HTTP status for unknown codes and bodies that are not Meta's", () => {
    expect(providerErrorFromGraph({ status: 503, retryAfter: null, body: "<html>Bad gateway</html>" })).toMatchObject({
      retry: "later",
      providerCode: null,
      reason: "Meta's Graph API answered HTTP 503",
    });
    expect(providerErrorFromGraph({ status: 429, retryAfter: "3", body: null }, 0)).toMatchObject({ retry: "later", retryAfterMs: 3000 });
    expect(providerErrorFromGraph({ status: 400, retryAfter: null, body: { error: { message: "(#999999) New thing", code: 999999 } } })).toMatchObject({
      retry: "never",
      providerCode: "999999",
      reason: "New thing",
    });
    expect(providerErrorFromGraph({ status: 502, retryAfter: null, body: { error: { message: "(#999998) Flaky", code: 999998 } } }).retry).toBe("later");
  });
});

describe("providerErrorFromNetwork", () => {
  it("maps a timeout to later, naming the limit", () => {
    const timeout = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    expect(providerErrorFromNetwork(timeout, 15_000)).toMatchObject({ retry: "later", reason: "Meta's Graph API did not answer within 15000 ms" });
  });

  it("maps a connection failure to later with its cause", () => {
    const failure = new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:9") });
    expect(providerErrorFromNetwork(failure, 15_000)).toMatchObject({
      retry: "later",
      reason: "Could not reach Meta's Graph API: connect ECONNREFUSED 127.0.0.1:9",
    });
  });
});

describe("parseRetryAfter and metaErrorReason", () => {
  it("reads seconds and dates, and ignores garbage", () => {
    expect(parseRetryAfter(null, 0)).toBeNull();
    expect(parseRetryAfter("soon", 0)).toBeNull();
    expect(parseRetryAfter("0", 0)).toBe(0);
    expect(parseRetryAfter(new Date(1000).toUTCString(), 5000)).toBe(0);
  });

  it("does not repeat details that say the same as the title", () => {
    expect(metaErrorReason("Message Undeliverable", "message undeliverable")).toBe("Message Undeliverable");
    expect(metaErrorReason(null, null)).toBe("WhatsApp refused the message without a reason");
  });
});
