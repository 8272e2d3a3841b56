/** Which database errors mean "unreachable for now" (503) rather than a bug (500). */
import { DrizzleQueryError } from "drizzle-orm/errors";
import { expect, it } from "vitest";
import { isDatabaseUnavailable } from "./database-unavailable.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

it.each([
  ["a refused connection", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
  ["a reset connection", withCode("read ECONNRESET", "ECONNRESET")],
  ["an administrator's termination (57P01)", withCode("terminating connection due to administrator command", "57P01")],
  ["a connection failure (08006)", withCode("connection failure", "08006")],
  ["a server that is starting (57P03)", withCode("the database system is starting up", "57P03")],
  ["too many connections (53300)", withCode("sorry, too many clients already", "53300")],
  ["node-postgres's lost connection", new Error("Connection terminated unexpectedly")],
  ["pg-pool's connect timeout", new Error("timeout exceeded when trying to connect")],
  ["a driver error wrapped by Drizzle", new DrizzleQueryError("select 1", [], withCode("connect ECONNREFUSED", "ECONNREFUSED"))],
])("counts %s as unavailable", (_name, error) => {
  expect(isDatabaseUnavailable(error)).toBe(true);
});

it.each([
  ["a unique violation (23505)", withCode("duplicate key value violates unique constraint", "23505")],
  ["a syntax error (42601)", withCode("syntax error at or near", "42601")],
  ["a Drizzle-wrapped constraint error", new DrizzleQueryError("insert", [], withCode("violates foreign key", "23503"))],
  ["a plain bug", new TypeError("Cannot read properties of undefined")],
  ["a thrown string", "boom"],
])("does not count %s", (_name, error) => {
  expect(isDatabaseUnavailable(error)).toBe(false);
});
