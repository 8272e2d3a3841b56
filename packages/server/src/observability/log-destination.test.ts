/** The log destination writes lines in order, and gives up on a pipe whose reader went away. */
import { execFileSync } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { fdLogDestination } from "./log-destination.ts";

const dir = mkdtempSync(join(tmpdir(), "parley-log-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A pipe's write end whose reader is already closed: every write fails with EPIPE. */
function pipeWithoutReader(name: string): number {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  const reader = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(path, constants.O_WRONLY);
  closeSync(reader);
  return writer;
}

it("writes every line once, asynchronously in order and on the exit flush", async () => {
  const path = join(dir, "lines.log");
  const fd = openSync(path, "w");
  const destination = fdLogDestination(fd);
  const lines = Array.from({ length: 2000 }, (_, i) => `{"n":${i}}\n`);
  for (const line of lines.slice(0, 1000)) destination.write(line);
  const firstHalf = lines.slice(0, 1000).join("");
  for (let waited = 0; readFileSync(path, "utf8").length < firstHalf.length && waited < 5000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const line of lines.slice(1000)) destination.write(line);
  destination.flushSync();
  // A chunk already handed to an asynchronous write finishes on its own: wait for it (a loaded
  // machine may take longer than a fixed pause) before closing the file.
  const expected = lines.join("");
  for (let waited = 0; readFileSync(path, "utf8").length < expected.length && waited < 5000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  closeSync(fd);
  const written = readFileSync(path, "utf8");
  // Before the exit flush, in order; the exit flush writes what was still queued at once, so a
  // chunk already handed to an asynchronous write may land after it.
  expect(written.slice(0, firstHalf.length)).toBe(firstHalf);
  expect(written.split("\n").filter(Boolean).sort()).toEqual(lines.map((line) => line.trim()).sort());
  expect(destination.dropped).toBe(0);
});

it("drops lines once the pipe's reader is gone, and its exit flush returns at once", async () => {
  const fd = pipeWithoutReader("dead-async");
  const destination = fdLogDestination(fd);
  destination.write("first\n");
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(destination.broken).toBe(true);
  destination.write("second\n");
  const started = Date.now();
  destination.flushSync();
  expect(Date.now() - started).toBeLessThan(500);
  expect(destination.dropped).toBe(2);
  closeSync(fd);
});

it("gives up at exit on lines queued before any write reported the dead pipe (sonic-boom retried them every 100 ms for ever)", () => {
  const fd = pipeWithoutReader("dead-sync");
  const destination = fdLogDestination(fd);
  for (let i = 0; i < 10; i++) destination.write(`line ${i}\n`);
  const started = Date.now();
  destination.flushSync();
  expect(Date.now() - started).toBeLessThan(500);
  expect(destination.broken).toBe(true);
  closeSync(fd);
});

it("drops lines past its queue bound while the reader is slow, instead of growing without end", () => {
  const fd = pipeWithoutReader("bounded");
  const destination = fdLogDestination(fd, { maxQueuedBytes: 100 });
  // The first line goes to an asynchronous write; the next ones queue behind it up to the bound.
  for (let i = 0; i < 20; i++) destination.write(`${"x".repeat(39)}\n`);
  expect(destination.dropped).toBe(17);
  closeSync(fd);
});
