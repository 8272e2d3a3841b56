import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WebSocket as NodeWebSocket } from "ws";
import { Api } from "./api.ts";
import { Chat } from "./chat.ts";
import type { ChatListener } from "./chat.ts";
import type { Poller } from "./poller.ts";
import type { SocketConstructor } from "./realtime.ts";
import type { TokenStore } from "./storage.ts";
import { FakeBackend, agentMessage, uuid7 } from "./testing/fake-backend.ts";
import { PusherTestServer } from "./testing/pusher-server.ts";

const CHANNEL = "private-visitor.c1";

function memoryTokens(initial: string | null): TokenStore & { value: string | null } {
  return {
    value: initial,
    get() {
      return this.value;
    },
    set(t) {
      this.value = t;
    },
    clear() {
      this.value = null;
    },
  };
}

const quiet: ChatListener = { changed() {}, received() {}, agentTyping() {}, assigned() {} };

describe("Chat over a real socket", () => {
  let server: PusherTestServer;
  let backend: FakeBackend;
  let chat: Chat | undefined;
  beforeEach(async () => {
    server = await PusherTestServer.start();
    backend = new FakeBackend(server.baseUrl);
    // Remember the connection state at each request, to tell polls from catch-ups.
    backend.observe = () => chat?.connection;
  });
  afterEach(async () => {
    chat?.stop();
    await server.stop();
  });

  function makeChat(token: string | null, listener: Partial<ChatListener> = {}, viewing = false) {
    chat = new Chat({
      api: new Api(server.baseUrl, "wk_test", backend.fetch),
      tokens: memoryTokens(token),
      listener: { ...quiet, ...listener },
      viewing: () => viewing,
      // ws's handlers take ws's own Event, not the DOM's: it is a WebSocket at run time, not in the typings.
      WebSocket: NodeWebSocket as unknown as SocketConstructor,
      random: () => 0,
      pollMs: 20,
      receiptDelayMs: 0,
    });
    return chat;
  }

  it("polls GET messages?after= while the socket is down and stops once subscribed again", async () => {
    backend.messages.push(agentMessage(1, "Welcome!", { status: "read" }));
    const c = makeChat("tok_1");
    await c.start();
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"));
    await vi.waitFor(() => expect(c.store.entries).toHaveLength(1));

    // 4100: the server is over capacity; the client waits ≥ 1 s, polling meanwhile.
    server.last.socket.close(4100, "over capacity");
    await vi.waitFor(() => expect(c.connection).toBe("down"));
    expect(c.reconnecting).toBe(true);
    const pollsBefore = backend.to("/messages", "GET").length;
    backend.messages.push(agentMessage(2, "Are you still there?"));
    await vi.waitFor(() => expect(c.store.entries.map((e) => e.body)).toContain("Are you still there?"));
    // Each poll asks for new messages (after=) and for changed ones (updated_after=).
    const polls = backend
      .to("/messages", "GET")
      .slice(pollsBefore)
      .filter((x) => !x.query.has("updated_after"));
    expect(polls.length).toBeGreaterThan(0);
    expect(polls[0]!.query.get("after")).toBe(uuid7(1));
    expect(polls[0]!.token).toBe("tok_1");
    // The new agent message is acknowledged as delivered (not read: nobody is looking).
    await vi.waitFor(() => expect(backend.to("/delivered").map((x) => x.body)).toEqual([{ up_to_message_id: uuid7(2) }]));
    expect(backend.to("/read")).toHaveLength(0);

    const fetchesBefore = backend.calls.length;
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"), { timeout: 5000 });
    expect(c.reconnecting).toBe(false);
    expect(server.clients).toHaveLength(2);
    // The poller is stopped, and one catch-up fetch follows the resubscription.
    expect((c as unknown as { poller: Poller }).poller.active).toBe(false);
    await vi.waitFor(() => {
      const catchUp = backend.calls
        .slice(fetchesBefore)
        .filter((x) => x.path.endsWith("/messages") && x.connection === "subscribed" && !x.query.has("updated_after"));
      expect(catchUp.map((x) => x.query.get("after"))).toEqual([uuid7(2)]);
    });
  });

  it("catches up on ticks that moved while the socket was down", async () => {
    const c = makeChat("tok_1");
    await c.start();
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"));
    c.send("Is anyone there?");
    await vi.waitFor(() => expect(backend.messages).toHaveLength(1));
    const mine = backend.messages[0]!;
    await vi.waitFor(() => expect(c.store.entries[0]?.status).toBe("sent"));

    server.last.socket.close(4100, "over capacity");
    await vi.waitFor(() => expect(c.connection).toBe("down"));
    // The agent reads it while the visitor's socket is down: the event is lost, the change is not.
    backend.change(mine.id, { status: "read", read_at: new Date().toISOString() });
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"), { timeout: 5000 });
    await vi.waitFor(() => expect(c.store.entries[0]?.status).toBe("read"));
    expect(backend.to("/messages", "GET").some((x) => x.query.has("updated_after"))).toBe(true);
  });

  it("names the agent a conversation is assigned to", async () => {
    const names: string[] = [];
    const c = makeChat("tok_1", { assigned: (name) => names.push(name) });
    await c.start();
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"));
    server.publish(CHANNEL, "conversation.assigned", { conversation_id: "c1", assignee: null, timestamp: new Date().toISOString() });
    server.publish(CHANNEL, "conversation.assigned", { conversation_id: "c1", assignee: { id: "u1", name: "Ada" }, timestamp: new Date().toISOString() });
    await vi.waitFor(() => expect(names).toEqual(["Ada"]));
  });

  it("receives an agent reply over the socket once and acknowledges it", async () => {
    const received: string[] = [];
    const c = makeChat("tok_1", { received: (e) => received.push(e.body ?? "") }, true);
    await c.start();
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"));
    const reply = agentMessage(5, "How can I help?");
    server.publish(CHANNEL, "message.sent", { message: reply });
    server.publish(CHANNEL, "message.sent", { message: reply });
    await vi.waitFor(() => expect(received).toEqual(["How can I help?"]));
    expect(c.store.entries).toHaveLength(1);
    await vi.waitFor(() => expect(backend.to("/read").map((x) => x.body)).toEqual([{ up_to_message_id: uuid7(5) }]));
    expect(backend.to("/delivered").map((x) => x.body)).toEqual([{ up_to_message_id: uuid7(5) }]);
    expect(c.unread()).toBe(0);
  });

  it("sends typing as a client event when subscribed and over HTTP when the socket is down", async () => {
    const c = makeChat("tok_1");
    await c.start();
    await vi.waitFor(() => expect(c.connection).toBe("subscribed"));
    c.typing();
    await vi.waitFor(() => expect(server.last.frames).toContainEqual({ event: "client-typing", channel: CHANNEL, data: { is_typing: true } }));
    c.send("done typing");
    await vi.waitFor(() => expect(server.last.frames).toContainEqual({ event: "client-typing", channel: CHANNEL, data: { is_typing: false } }));
    expect(backend.to("/typing")).toHaveLength(0);

    server.last.socket.close(4001, "go away");
    await vi.waitFor(() => expect(c.connection).toBe("down"));
    c.typing();
    await vi.waitFor(() => expect(backend.to("/typing").map((x) => x.body)).toEqual([{ is_typing: true }]));
  });

  it("forgets a token the server rejects and starts fresh on the next message", async () => {
    const tokens = memoryTokens("tok_expired");
    chat = new Chat({
      api: new Api(server.baseUrl, "wk_test", backend.fetch),
      tokens,
      listener: quiet,
      viewing: () => false,
      pollMs: 20,
    });
    await chat.start();
    expect(chat.session).toBeNull();
    expect(tokens.value).toBeNull();
    chat.send("hello?");
    await vi.waitFor(() => expect(chat!.store.entries[0]?.status).toBe("sent"));
    expect(backend.to("/sessions", "POST")).toHaveLength(1);
    expect(tokens.value).toMatch(/^tok_/);
    // Without WebSocket support the chat polls.
    backend.messages.push(agentMessage(900, "Hi there"));
    await vi.waitFor(() => expect(chat!.store.entries.map((e) => e.body)).toEqual(["hello?", "Hi there"]));
  });
});
