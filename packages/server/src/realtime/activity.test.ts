import { describe, expect, it } from "vitest";
import { ActivitySweeper, type Watched } from "./activity.ts";

/** A sweeper on a hand-driven clock, recording what it does to connections named by `id`. */
function sweeperAt(start = 1_000) {
  let now = start;
  const calls: string[] = [];
  const sweeper = new ActivitySweeper<Watched & { id: string }>({
    idleMs: 1000,
    pongTimeoutMs: 200,
    onIdle: (connection) => calls.push(`ping ${connection.id}`),
    onDead: (connection) => calls.push(`dead ${connection.id}`),
    nowMs: () => now,
  });
  const advance = (ms: number) => {
    now += ms;
    sweeper.sweep();
  };
  return { sweeper, calls, advance, connection: (id: string) => ({ id, lastActivityAt: 0, pingSentAt: 0 }) };
}

describe("ActivitySweeper", () => {
  it("pings after idleMs of silence and declares death pongTimeoutMs later", () => {
    const { sweeper, calls, advance, connection } = sweeperAt();
    const a = connection("a");
    sweeper.add(a);
    advance(999);
    expect(calls).toEqual([]);
    advance(1);
    expect(calls).toEqual(["ping a"]);
    advance(199);
    expect(calls).toEqual(["ping a"]);
    advance(1);
    expect(calls).toEqual(["ping a", "dead a"]);
    // Dead connections are no longer watched.
    advance(10_000);
    expect(calls).toEqual(["ping a", "dead a"]);
    sweeper.stop();
  });

  it("restarts the idle period on activity, including after a ping, and forgets removed connections", () => {
    const { sweeper, calls, advance, connection } = sweeperAt();
    const a = connection("a");
    const b = connection("b");
    sweeper.add(a);
    sweeper.add(b);
    advance(900);
    sweeper.touch(a);
    advance(100);
    expect(calls).toEqual(["ping b"]);
    advance(100);
    sweeper.touch(b);
    advance(800);
    expect(calls).toEqual(["ping b", "ping a"]);
    sweeper.remove(a);
    advance(10_000);
    expect(calls).toEqual(["ping b", "ping a", "ping b"]);
    sweeper.stop();
  });

  it("sweeps a quarter of the shorter period, within 10 ms and 1 s, and refuses periods that are not positive", () => {
    const make = (idleMs: number, pongTimeoutMs: number) => new ActivitySweeper({ idleMs, pongTimeoutMs, onIdle: () => {}, onDead: () => {} });
    expect(make(125_000, 30_000).intervalMs).toBe(1000);
    expect(make(50, 400).intervalMs).toBe(12);
    expect(make(5, 5).intervalMs).toBe(10);
    expect(() => make(0, 100)).toThrow(RangeError);
  });
});
