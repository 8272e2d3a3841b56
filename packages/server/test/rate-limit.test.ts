import { expect, it } from "vitest";
import { type ApiResponse, useTestParley } from "./parley.ts";

const parley = useTestParley("pglite", { RATE_LIMIT_PER_MINUTE: "5", AUTH_RATE_LIMIT_PER_MINUTE: "2" });

it("answers 429 with Retry-After past the per-minute limit, in Parley's error shape", async () => {
  const statuses: number[] = [];
  let limited: ApiResponse | undefined;
  for (let attempt = 0; attempt < 7; attempt++) {
    const response = await parley().api.get("/api/v1/realtime");
    statuses.push(response.status);
    if (response.status === 429) limited = response;
  }
  expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
  expect(statuses.slice(5)).toEqual([429, 429]);
  expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(limited!.body.error.code).toBe("request.rate_limited");
});

it("limits login attempts more tightly than the rest of the API", async () => {
  const attempt = () => parley().api.post("/api/v1/auth/login", { email: "x@example.com", password: "guess-guess" });
  expect((await attempt()).status).toBe(401);
  expect((await attempt()).status).toBe(401);
  expect((await attempt()).status).toBe(429);
});

it("never rate-limits the health check", async () => {
  for (let attempt = 0; attempt < 8; attempt++) expect((await parley().api.get("/api/v1/health")).status).toBe(200);
});
