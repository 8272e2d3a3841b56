import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrioritizedPGlite, PriorityGate, runAsBackgroundDatabaseWork } from "./database-priority.ts";

/** Work that records its start and finishes only when released. */
function heldWork(log: string[]) {
  const releases = new Map<string, () => void>();
  const work = (name: string) => () => {
    log.push(name);
    return new Promise<string>((resolve) => releases.set(name, () => resolve(name)));
  };
  return { work, release: (name: string) => releases.get(name)!() };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("PriorityGate", () => {
  it("runs one call at a time, and a live call waiting goes before background calls that came earlier", async () => {
    const log: string[] = [];
    const held = heldWork(log);
    const gate = new PriorityGate();
    const running = gate.run(held.work("background 1"), true);
    const queued = [gate.run(held.work("background 2"), true), gate.run(held.work("background 3"), true), gate.run(held.work("live"), false)];
    await turn();
    expect(log).toEqual(["background 1"]);
    expect(gate.waiting).toBe(3);

    held.release("background 1");
    await running;
    await turn();
    expect(log).toEqual(["background 1", "live"]);
    held.release("live");
    await turn();
    held.release("background 2");
    await turn();
    held.release("background 3");
    expect(await Promise.all(queued)).toEqual(["background 2", "background 3", "live"]);
    expect(log).toEqual(["background 1", "live", "background 2", "background 3"]);
  });

  it("lets a background call that has waited the promotion time go in its arrival order, so live work cannot starve it", async () => {
    const log: string[] = [];
    const held = heldWork(log);
    let now = 0;
    const gate = new PriorityGate(250, () => now);
    const first = gate.run(held.work("live 1"), false);
    const waiting = [gate.run(held.work("background"), true), gate.run(held.work("live 2"), false)];
    now = 300;
    held.release("live 1");
    await first;
    await turn();
    expect(log).toEqual(["live 1", "background"]);
    held.release("background");
    await turn();
    held.release("live 2");
    await Promise.all(waiting);
  });

  it("frees the gate when a call throws, and passes the error to its caller only", async () => {
    const gate = new PriorityGate();
    const failing = gate.run(() => Promise.reject(new Error("syntax error at or near")), false);
    const next = gate.run(() => Promise.resolve("ran"), true);
    await expect(failing).rejects.toThrow("syntax error at or near");
    expect(await next).toBe("ran");
  });

  it("takes the priority from the caller's context: work inside runAsBackgroundDatabaseWork, even after an await, is background", async () => {
    const log: string[] = [];
    const held = heldWork(log);
    const gate = new PriorityGate();
    const holder = gate.run(held.work("holder"), false);
    const background = runAsBackgroundDatabaseWork(async () => {
      await turn();
      return gate.run(held.work("campaign"));
    });
    await turn();
    await turn();
    const live = gate.run(held.work("reply"));
    held.release("holder");
    await holder;
    await turn();
    expect(log).toEqual(["holder", "reply"]);
    held.release("reply");
    await live;
    await turn();
    held.release("campaign");
    await background;
  });
});

describe("PrioritizedPGlite", () => {
  let pglite: PrioritizedPGlite;
  beforeAll(async () => {
    pglite = await PrioritizedPGlite.open({ dataDir: "memory://" });
    await pglite.exec("create table events (id serial primary key, source text not null)");
  });
  afterAll(async () => {
    await pglite.close();
  });

  it("runs a live statement before the background statements queued ahead of it, after the background transaction under way", async () => {
    let releaseTransaction!: () => void;
    const transactionHeld = new Promise<void>((resolve) => {
      releaseTransaction = resolve;
    });
    const campaign = runAsBackgroundDatabaseWork(async () => {
      const claim = pglite.transaction(async (transaction) => {
        await transaction.query("insert into events (source) values ('campaign claim')");
        await transactionHeld;
      });
      // Queued while the claim holds the database: the campaign's next writes.
      const writes = [1, 2, 3].map((index) => pglite.query(`insert into events (source) values ('campaign write ${index}')`));
      await Promise.all([claim, ...writes]);
    });
    await turn();
    const reply = pglite.query("insert into events (source) values ('agent reply')");
    await turn();
    releaseTransaction();
    await Promise.all([campaign, reply]);

    const { rows } = await pglite.query<{ source: string }>("select source from events order by id");
    expect(rows.map((row) => row.source)).toEqual(["campaign claim", "agent reply", "campaign write 1", "campaign write 2", "campaign write 3"]);
  });

  it("keeps a transaction's own statements inside it and rolls back on error, freeing the database for the next caller", async () => {
    await expect(
      pglite.transaction(async (transaction) => {
        await transaction.query("insert into events (source) values ('rolled back')");
        await transaction.query("insert into missing_table values (1)");
      }),
    ).rejects.toThrow(/missing_table/);
    const { rows } = await pglite.query<{ count: number }>("select count(*)::int as count from events where source = 'rolled back'");
    expect(rows[0]!.count).toBe(0);
  });
});
