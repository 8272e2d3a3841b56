/**
 * WhatsApp Web sessions across nodes, on both engines: one owner per session through a lease
 * row (taken over once the owner stops renewing), and credentials sealed at rest.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test/databases.ts";
import { useTestStore } from "../../../test/stores.ts";
import { createSecretBox } from "../../security/secret-box.ts";
import { newId } from "../ids.ts";
import type { Store } from "../ports.ts";
import { sessionCredentials } from "./session-credentials.ts";
import { sessionOwnership } from "./session-ownership.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function whatsappInboxes(store: Store, count: number, label = "wa") {
  const workspace = await store.workspaces.create({ id: newId(), name: label, slug: `${label}-${newId().slice(-8)}` });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const inbox = await store.inboxes.create({
      id: newId(),
      workspaceId: workspace.id,
      provider: "whatsapp_web",
      name: `${label} ${index}`,
      status: "disconnected",
      widgetKey: null,
      widget: null,
    });
    ids.push(inbox.id);
  }
  return ids;
}

/** A node: its ownership, and the sessions it started and stopped. */
function node(store: Store, nodeId: string, options: { maxSessions?: number; leaseTtlMs?: number; failToStart?: Set<string> } = {}) {
  const started: string[] = [];
  const stopped: string[] = [];
  const ownership = sessionOwnership({
    leases: store.sessionLeases,
    nodeId,
    leaseTtlMs: options.leaseTtlMs ?? 2_000,
    maxSessions: options.maxSessions ?? 10,
    onAcquired: async (inboxId) => {
      if (options.failToStart?.has(inboxId)) throw new Error("Chromium did not start");
      started.push(inboxId);
    },
    onLost: async (inboxId) => void stopped.push(inboxId),
  });
  return { ownership, started, stopped };
}

describe.each(testEngines())("WhatsApp Web sessions on %s", (engine) => {
  const testStore = useTestStore(engine);
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  // The database holds every test's inboxes: each test counts only its own.
  const mine = (ids: string[], inboxIds: string[]) => ids.filter((id) => inboxIds.includes(id));

  it("gives each session to one node, and moves it to another once its owner stops renewing", async () => {
    const inboxIds = await whatsappInboxes(store, 2, "failover");
    const a = node(store, `node-a-${newId()}`);
    const bNodeId = `node-b-${newId()}`;
    const b = node(store, bNodeId);
    const [first, second] = await Promise.all([a.ownership.round(), b.ownership.round()]);
    // Both nodes raced for both sessions: each session went to exactly one of them.
    expect([...mine(first.acquired, inboxIds), ...mine(second.acquired, inboxIds)].sort()).toEqual([...inboxIds].sort());
    const aHeld = mine(a.ownership.held(), inboxIds);
    const bHeld = mine(b.ownership.held(), inboxIds);
    expect(aHeld.length + bHeld.length).toBe(2);
    // The live owner keeps its sessions however often the other node looks.
    for (let round = 0; round < 3; round++) {
      await sleep(300);
      await a.ownership.round();
      await b.ownership.round();
    }
    expect(mine(a.ownership.held(), inboxIds).sort()).toEqual(aHeld.sort());
    expect(b.stopped).toEqual([]);

    // Node a dies (stops renewing): after the lease time, b takes a's sessions without a new QR.
    await sleep(2_200);
    const takeover = await b.ownership.round();
    expect(mine(takeover.acquired, inboxIds).sort()).toEqual(aHeld.sort());
    for (const inboxId of inboxIds) expect((await store.sessionLeases.find(inboxId))?.ownerNode).toBe(bNodeId);
    // Were a only paused, its next round learns it lost them and stops them, sending nothing more.
    const late = await a.ownership.round();
    expect(mine(late.lost, inboxIds).sort()).toEqual(aHeld.sort());
    expect(mine(a.stopped, inboxIds).sort()).toEqual(aHeld.sort());
    expect(mine(a.ownership.held(), inboxIds)).toEqual([]);
  });

  it("runs at most maxSessions per node, hands a session that fails to start to another node, and releases on a clean stop", async () => {
    const inboxIds = await whatsappInboxes(store, 3, "capacity");
    // Sessions from other tests are left to other nodes: capacity counts only these.
    const others = (await store.sessionLeases.unowned(1000)).filter((id) => !inboxIds.includes(id));
    const filler = node(store, `filler-${newId()}`, { leaseTtlMs: 60_000, maxSessions: others.length });
    await filler.ownership.round();

    const broken = node(store, `broken-${newId()}`, { maxSessions: 10, failToStart: new Set([inboxIds[0]!]) });
    await broken.ownership.round();
    expect(broken.ownership.held()).not.toContain(inboxIds[0]);
    expect(await store.sessionLeases.find(inboxIds[0]!)).toBeNull();
    for (const inboxId of broken.ownership.held()) await broken.ownership.release(inboxId);

    const small = node(store, `small-${newId()}`, { maxSessions: 2 });
    const round = await small.ownership.round();
    expect(round.acquired).toHaveLength(2);
    const spare = node(store, `spare-${newId()}`);
    expect(mine((await spare.ownership.round()).acquired, inboxIds)).toHaveLength(1);

    const [released] = small.ownership.held();
    await small.ownership.release(released!);
    expect(mine((await spare.ownership.round()).acquired, inboxIds)).toEqual([released]);
  });

  it("keeps credentials sealed at rest, per inbox, and forgets them on logout", async () => {
    const [inboxId, otherInboxId] = await whatsappInboxes(store, 2, "credentials");
    const sealer = createSecretBox(randomBytes(32));
    const credentials = sessionCredentials(store.sessionCredentials, sealer, inboxId!);
    const creds = JSON.stringify({ noiseKey: { private: "c2VjcmV0LW5vaXNl" }, me: { id: "6281234567890:1@s.whatsapp.net" } });
    await credentials.set(
      new Map([
        ["creds", creds],
        ["pre-key-1", "first pre-key"],
        ["pre-key-2", "second pre-key"],
      ]),
    );
    await credentials.set(new Map<string, string | null>([["pre-key-1", null]]));
    expect(await credentials.get(["creds", "pre-key-1", "pre-key-2", "session-x"])).toEqual(
      new Map([
        ["creds", creds],
        ["pre-key-2", "second pre-key"],
      ]),
    );
    const raw = (await store.sessionCredentials.read(inboxId!, ["creds"])).get("creds");
    expect(raw).toBeDefined();
    expect(raw).not.toContain("noiseKey");
    // Another inbox sees none of it; a sealer with another key cannot open it.
    expect(await sessionCredentials(store.sessionCredentials, sealer, otherInboxId!).get(["creds"])).toEqual(new Map());
    await expect(sessionCredentials(store.sessionCredentials, createSecretBox(randomBytes(32)), inboxId!).get(["creds"])).rejects.toThrow();
    await credentials.clear();
    expect(await credentials.get(["creds", "pre-key-2"])).toEqual(new Map());
  });

  it("judges expiry by the database's clock", async () => {
    const [inboxId] = await whatsappInboxes(store, 1, "clock");
    expect(await store.sessionLeases.acquire(inboxId!, "node-clock", 60_000)).toBe(true);
    const lease = await store.sessionLeases.find(inboxId!);
    const now = (await testStoreNow(store)).getTime();
    expect(lease!.expiresAt.getTime() - now).toBeGreaterThan(55_000);
    expect(lease!.expiresAt.getTime() - now).toBeLessThanOrEqual(60_500);
    expect(await store.sessionLeases.acquire(inboxId!, "node-other", 60_000)).toBe(false);
    await expect(store.sessionLeases.acquire(inboxId!, "node-clock", 0)).rejects.toThrow(RangeError);
  });
});

/** The database's current time: a lease of 1 ms ends 1 ms after it. */
async function testStoreNow(store: Store): Promise<Date> {
  const [inboxId] = await whatsappInboxes(store, 1, "now");
  await store.sessionLeases.acquire(inboxId!, "clock-probe", 1);
  return new Date((await store.sessionLeases.find(inboxId!))!.expiresAt.getTime() - 1);
}
