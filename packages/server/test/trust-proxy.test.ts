/**
 * TRUST_PROXY: behind a load balancer, per-IP rate limits count the client's address from the
 * balancer's X-Forwarded-For; a header from anyone else is ignored, so it cannot buy a fresh budget.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { buildTestApp, type TestApp } from "./app.ts";

/** Statuses of `GET /api/v1/realtime` from `remoteAddress`, one per X-Forwarded-For value (none when undefined). */
async function statuses(test: TestApp, remoteAddress: string, forwardedFor: Array<string | undefined>): Promise<number[]> {
  const result: number[] = [];
  for (const value of forwardedFor) {
    const response = await test.app.inject({
      method: "GET",
      url: "/api/v1/realtime",
      remoteAddress,
      headers: value === undefined ? {} : { "x-forwarded-for": value },
    });
    result.push(response.statusCode);
  }
  return result;
}

function useApp(overrides: Record<string, string>): () => TestApp {
  let test: TestApp | undefined;
  beforeAll(async () => {
    test = await buildTestApp({ RATE_LIMIT_PER_MINUTE: "3", ...overrides });
  });
  afterAll(() => test?.close());
  return () => test!;
}

describe("with TRUST_PROXY naming the load balancers' range", () => {
  const app = useApp({ TRUST_PROXY: "10.0.0.0/8, 192.168.1.7" });

  it("counts each client behind the balancer in a bucket of its own", async () => {
    expect(await statuses(app(), "10.0.0.5", ["203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.1"])).toEqual([200, 200, 200, 429]);
    expect(await statuses(app(), "10.0.0.6", ["203.0.113.2"])).toEqual([200]);
    // Through two trusted hops, the client is the right-most untrusted address.
    expect(await statuses(app(), "192.168.1.7", ["203.0.113.3, 10.0.0.9"])).toEqual([200]);
  });

  it("ignores the header of a client that reaches the node directly", async () => {
    expect(await statuses(app(), "198.51.100.9", ["203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13"])).toEqual([200, 200, 200, 429]);
  });
});

describe("without TRUST_PROXY", () => {
  const app = useApp({});

  it("ignores X-Forwarded-For: a spoofed header does not escape the limit", async () => {
    expect(await statuses(app(), "10.0.0.5", ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"])).toEqual([200, 200, 200, 429]);
  });
});

describe("with TRUST_PROXY as a hop count", () => {
  const app = useApp({ TRUST_PROXY: "1" });

  it("takes the client from the last hop, whoever the peer is", async () => {
    expect(await statuses(app(), "10.0.0.5", ["203.0.113.1", "203.0.113.1", "203.0.113.1", "203.0.113.1"])).toEqual([200, 200, 200, 429]);
    // One hop trusted: the entry before the last is another client's claim, not believed.
    expect(await statuses(app(), "10.0.0.5", ["198.51.100.1, 203.0.113.2"])).toEqual([200]);
  });
});

it("refuses a TRUST_PROXY that is neither a hop count nor addresses, naming it", () => {
  expect(() => loadConfig({ TRUST_PROXY: "10.0.0.0/8, the-balancer" })).toThrow(/TRUST_PROXY.*the-balancer/);
  expect(loadConfig({ TRUST_PROXY: "" }).trustProxy).toBeUndefined();
  expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toEqual({ hops: 2 });
});
