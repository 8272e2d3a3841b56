import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit.ts";

/** A commit whose calls are recorded and finish only when released. */
function heldCommit() {
  const calls: number[][] = [];
  const releases: Array<() => void> = [];
  const commit = (items: number[]) => {
    calls.push(items);
    return new Promise<string[]>((resolve) => releases.push(() => resolve(items.map((item) => `stored ${item}`))));
  };
  return { calls, commit, releaseNext: () => releases.shift()!() };
}

/** Lets the commit's completion callbacks run (they start the next commit). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("groupCommit", () => {
  it("commits a lone item in the next turn, and items that arrive meanwhile together in the next commit", async () => {
    const held = heldCommit();
    const submit = groupCommit(held.commit, { maxBatch: 10, maxConcurrent: 1 });
    const first = submit(1);
    await settled();
    const others = [submit(2), submit(3), submit(4)];
    expect(held.calls).toEqual([[1]]);
    held.releaseNext();
    expect(await first).toBe("stored 1");
    await settled();
    expect(held.calls).toEqual([[1], [2, 3, 4]]);
    held.releaseNext();
    expect(await Promise.all(others)).toEqual(["stored 2", "stored 3", "stored 4"]);
  });

  it("gathers the items of one turn, takes at most maxBatch per commit and runs up to maxConcurrent commits", async () => {
    const held = heldCommit();
    const submit = groupCommit(held.commit, { maxBatch: 2, maxConcurrent: 2 });
    const results = [submit(1)];
    await settled();
    results.push(...[2, 3, 4, 5].map((item) => submit(item)));
    await settled();
    expect(held.calls).toEqual([[1], [2, 3]]);
    held.releaseNext();
    await results[0];
    await settled();
    expect(held.calls).toEqual([[1], [2, 3], [4, 5]]);
    held.releaseNext();
    held.releaseNext();
    expect(await Promise.all(results)).toEqual(["stored 1", "stored 2", "stored 3", "stored 4", "stored 5"]);
  });

  it("fails every item of a failed commit with its error, and keeps committing later items", async () => {
    let fail = true;
    const submit = groupCommit(
      async (items: number[]) => {
        if (fail) throw new Error("database unavailable");
        return items.map(String);
      },
      { maxBatch: 10, maxConcurrent: 1 },
    );
    const failed = [submit(1), submit(2)];
    await expect(failed[0]).rejects.toThrow("database unavailable");
    await expect(failed[1]).rejects.toThrow("database unavailable");
    fail = false;
    expect(await submit(3)).toBe("3");
  });

  it("rejects the items of a commit that answers the wrong number of results", async () => {
    const submit = groupCommit(async (): Promise<string[]> => [], { maxBatch: 10, maxConcurrent: 1 });
    await expect(submit(1)).rejects.toThrow("returned 0 results");
  });

  it("refuses sizes that are not positive integers", () => {
    expect(() => groupCommit(async () => [], { maxBatch: 0, maxConcurrent: 1 })).toThrow(RangeError);
    expect(() => groupCommit(async () => [], { maxBatch: 1, maxConcurrent: 1.5 })).toThrow(RangeError);
  });
});
