import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Message } from "../../../lib/types.ts";
import { jsonResponse, makeEnrichment, makeMessage } from "../../../testing/factories.ts";
import { useMessagesStore } from "./messages.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const conversationId = "c0000000-0000-4000-8000-000000000001";

/** A fake Parley: answers from `routes` by "METHOD path" prefix and records each request. */
function fakeServer(routes: Record<string, (body: any) => Response | Promise<Response>>) {
  const requests: Array<{ method: string; url: string; body: any }> = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init: RequestInit = {}) => {
      const method = init.method ?? "GET";
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      requests.push({ method, url, body });
      const route = Object.keys(routes).find((key) => `${method} ${url}`.startsWith(key));
      if (!route) throw new Error(`unexpected ${method} ${url}`);
      return routes[route]!(body);
    }),
  );
  return requests;
}

function setup() {
  setActivePinia(createPinia());
  const store = useMessagesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Me Agent" } });
  return store;
}

const messagesPath = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages`;
const serverReply = (body: { body: string; client_message_id: string }, status: Message["status"] = "sent") =>
  makeMessage({
    direction: "outbound",
    body: body.body,
    client_message_id: body.client_message_id,
    status,
    sender: { type: "agent", id: "me", name: "Me Agent", jid: null },
  });

describe("optimistic send", () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.unstubAllGlobals());

  it("shows the message at once with a clock, then reconciles it with the server's copy", async () => {
    let answer!: (response: Response) => void;
    const requests = fakeServer({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`POST ${messagesPath}`]: () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    const store = setup();
    await store.open(conversationId);
    const sending = store.send(conversationId, "On my way");

    const pending = store.thread(conversationId).items;
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({ body: "On my way", status: "pending", local: "sending" });
    const clientId = pending[0]!.client_message_id!;
    expect(requests.at(-1)!.body).toEqual({ body: "On my way", client_message_id: clientId });

    // The socket's message.sent arrives before the POST answer: still one bubble.
    const confirmed = serverReply(requests.at(-1)!.body);
    store.receive(confirmed);
    answer(jsonResponse(confirmed, 201));
    await sending;
    const items = store.thread(conversationId).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: confirmed.id, key: clientId, status: "sent" });
    expect(items[0]!.local).toBeUndefined();
  });

  it("marks a send that fails, and retrying sends the same client_message_id and succeeds", async () => {
    let fail = true;
    const requests = fakeServer({
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [], next_cursor: null }),
      [`POST ${messagesPath}`]: (body) =>
        fail ? jsonResponse({ error: { code: "server.unavailable", message: "Parley is restarting." } }, 503) : jsonResponse(serverReply(body), 201),
    });
    const store = setup();
    await store.open(conversationId);
    await store.send(conversationId, "Are you there?");
    let [message] = store.thread(conversationId).items;
    expect(message).toMatchObject({ status: "failed", local: "failed", failed_reason: "Parley is restarting." });

    fail = false;
    await store.retry(conversationId, message!.key);
    [message] = store.thread(conversationId).items;
    expect(message).toMatchObject({ status: "sent", body: "Are you there?" });
    const posts = requests.filter((request) => request.method === "POST");
    expect(posts).toHaveLength(2);
    expect(posts[1]!.body.client_message_id).toBe(posts[0]!.body.client_message_id);
  });
});

describe("retrying a message the server failed to deliver", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks the server to send it again and shows it sent, in place", async () => {
    const failed = makeMessage({ direction: "outbound", status: "failed", body: "Order #4411", failed_reason: "provider error", client_message_id: "c-old" });
    const requests = fakeServer({
      [`POST /api/v1/workspaces/${workspaceId}/messages/${failed.id}/retry`]: () => jsonResponse({ ...failed, status: "sent", failed_reason: null }, 200),
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [failed], next_cursor: null }),
    });
    const store = setup();
    await store.open(conversationId);
    await store.retry(conversationId, "c-old");
    const items = store.thread(conversationId).items;
    expect(items.map((message) => [message.body, message.status])).toEqual([["Order #4411", "sent"]]);
    expect(requests.filter((request) => request.method === "POST").map((request) => request.url)).toEqual([
      `/api/v1/workspaces/${workspaceId}/messages/${failed.id}/retry`,
    ]);
  });
});

describe("catch-up merge", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("keeps a message that arrives by the socket while the first page is still loading", async () => {
    const old = makeMessage({ body: "from the page" });
    const live = makeMessage({ body: "arrived meanwhile" });
    let answer!: (response: Response) => void;
    fakeServer({ [`GET ${messagesPath}`]: () => new Promise<Response>((resolve) => (answer = resolve)) });
    const store = setup();
    const opening = store.open(conversationId);
    store.receive(live);
    answer(jsonResponse({ data: [old], next_cursor: null }));
    await opening;
    expect(store.thread(conversationId).items.map((message) => message.body)).toEqual(["from the page", "arrived meanwhile"]);
  });

  it("adds what was missed and never duplicates what the socket already delivered", async () => {
    const first = makeMessage({ body: "first" });
    const live = makeMessage({ body: "delivered live" });
    const missed = makeMessage({ body: "missed while offline" });
    const requests = fakeServer({
      [`GET ${messagesPath}?updated_after=`]: () => jsonResponse({ data: [live, missed], next_cursor: null }),
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [first], next_cursor: null }),
    });
    const store = setup();
    await store.open(conversationId);
    store.receive(live);
    store.receive(live);
    await store.catchUp(conversationId, "2024-03-07T09:00:00.000Z");
    expect(store.thread(conversationId).items.map((message) => message.body)).toEqual(["first", "delivered live", "missed while offline"]);
    expect(requests.at(-1)!.url).toContain("updated_after=2024-03-07T09%3A00%3A00.000Z");
  });

  it("keeps a read status the socket brought when the catch-up carries an older one", async () => {
    const reply = makeMessage({ direction: "outbound", status: "sent", client_message_id: "c-1" });
    fakeServer({
      [`GET ${messagesPath}?updated_after=`]: () => jsonResponse({ data: [{ ...reply, status: "delivered" }], next_cursor: null }),
      [`GET ${messagesPath}`]: () => jsonResponse({ data: [reply], next_cursor: null }),
    });
    const store = setup();
    await store.open(conversationId);
    store.applyStatus({ message_id: reply.id, conversation_id: conversationId, client_message_id: "c-1", status: "read" });
    await store.catchUp(conversationId, "2024-03-07T09:00:00.000Z");
    expect(store.thread(conversationId).items.map((message) => message.status)).toEqual(["read"]);
  });
});

describe("enrichment events", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows a customer message's enrichment when message.enriched arrives, in place", async () => {
    const inbound = makeMessage({ direction: "inbound", body: "Barangnya rusak", conversation_id: conversationId });
    fakeServer({ [`GET ${messagesPath}`]: () => jsonResponse({ data: [inbound], next_cursor: null }) });
    const store = setup();
    await store.open(conversationId);
    const enrichment = makeEnrichment();
    store.applyEnrichment({ message_id: inbound.id, conversation_id: conversationId, enrichment });
    const items = store.thread(conversationId).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ id: inbound.id, body: "Barangnya rusak", enrichment });
    // An unknown message changes nothing.
    store.applyEnrichment({ message_id: "unknown", conversation_id: conversationId, enrichment });
    expect(store.thread(conversationId).items).toBe(items);
  });
});
