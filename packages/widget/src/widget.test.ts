// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boot } from "./boot.ts";
import { FakeBackend, agentMessage, uuid7 } from "./testing/fake-backend.ts";
import { FakeSocket } from "./testing/fake-socket.ts";
import { expectedAuth } from "./testing/pusher-server.ts";
import type { Widget } from "./widget.ts";

const BASE = "https://parley.example";
const CHANNEL = "private-visitor.c1";

let widget: Widget | null = null;
let backend: FakeBackend;

function script(attrs: Record<string, string>): HTMLScriptElement {
  const el = document.createElement("script");
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function start(attrs: Record<string, string> = {}): ShadowRoot {
  widget = boot(script({ src: `${BASE}/widget.js`, "data-widget-key": "wk_test", ...attrs }), {
    fetch: backend.fetch,
    WebSocket: FakeSocket,
    receiptDelayMs: 0,
  });
  expect(widget).not.toBeNull();
  return widget!.host.shadowRoot!;
}

const $ = <T extends Element = HTMLElement>(root: ShadowRoot, sel: string) => root.querySelector<T>(sel);
const bodies = (root: ShadowRoot) => [...root.querySelectorAll(".bub")].map((b) => b.textContent);

async function subscribe(): Promise<FakeSocket> {
  await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(1));
  const socket = FakeSocket.all[0]!;
  expect(socket.url).toBe("wss://parley.example/app/app-key?protocol=7&client=parley-widget&version=1");
  socket.receive("pusher:connection_established", { socket_id: "7.8", activity_timeout: 30 });
  await vi.waitFor(() => expect(socket.sent.map((f) => f.event)).toContain("pusher:subscribe"));
  expect(socket.sent[0]!.data).toEqual({ channel: CHANNEL, auth: expectedAuth("7.8", CHANNEL) });
  socket.receive("pusher_internal:subscription_succeeded", {}, CHANNEL);
  return socket;
}

beforeEach(() => {
  FakeSocket.all = [];
  backend = new FakeBackend(BASE);
  localStorage.clear();
  delete window.Parley;
  delete window.ParleySettings;
});

afterEach(() => {
  widget?.destroy();
  widget = null;
});

describe("widget in a page", () => {
  it("resumes a stored session: bubble, history, optimistic send, safe agent replies, receipts", async () => {
    localStorage.setItem("parley:wk_test", "tok_1");
    backend.messages.push(
      agentMessage(1, "Hi! How can we help?", { status: "read" }),
      agentMessage(2, "Earlier question", { direction: "inbound", status: "read", sender: { type: "contact", id: "ct1", name: null, jid: null } }),
      agentMessage(3, "", { type: "image", body: null, status: "read" }),
    );
    const root = start({ "data-title": "Talk to Acme" });

    // The bubble renders once the config has loaded, in the inbox colour.
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    const launcher = $<HTMLButtonElement>(root, "button.launcher")!;
    expect(launcher.getAttribute("aria-label")).toBe("Open chat");
    expect($(root, ".pw")!.style.getPropertyValue("--c")).toBe("#0f766e");
    expect(backend.to("/session")[0]!.token).toBe("tok_1");

    // Opening shows the history and moves focus into the composer.
    launcher.click();
    expect($(root, ".win")!.classList.contains("open")).toBe(true);
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    expect($(root, "h2")!.textContent).toBe("Talk to Acme");
    await vi.waitFor(() => expect(bodies(root)).toEqual(["Hi! How can we help?", "Earlier question", "Sent an image"]));
    expect($(root, ".badge")!.hidden).toBe(true); // all history was read already
    expect(root.activeElement).toBe($(root, "textarea"));
    expect($(root, ".st")!.textContent).toContain("Online");
    const socket = await subscribe();

    // Sending shows the message at once with a clock, then the server's tick.
    let release!: () => void;
    backend.sendGate = new Promise((r) => (release = r));
    const textarea = $<HTMLTextAreaElement>(root, "textarea")!;
    textarea.value = "I need help with my order";
    textarea.dispatchEvent(new Event("input"));
    textarea.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    expect(textarea.value).toBe("");
    expect(bodies(root)).toContain("I need help with my order");
    const row = () => [...root.querySelectorAll(".row.me")].at(-1)!;
    expect(row().querySelector(".tick")!.getAttribute("aria-label")).toBe("Sending");
    release();
    await vi.waitFor(() => expect(row().querySelector(".tick")!.getAttribute("aria-label")).toBe("Sent"));
    const posted = backend.to("/messages", "POST")[0]!;
    expect(posted.body).toMatchObject({ body: "I need help with my order" });
    expect(posted.body!.client_message_id).toMatch(/^[0-9a-f-]{36}$/);

    // The socket's echo of our own message does not duplicate it; its status updates move the tick.
    const stored = backend.messages.at(-1)!;
    socket.receive("message.sent", { message: stored }, CHANNEL);
    socket.receive("message.status.updated", { message_id: stored.id, client_message_id: stored.client_message_id, status: "read" }, CHANNEL);
    socket.receive("message.status.updated", { message_id: stored.id, status: "delivered" }, CHANNEL);
    expect(bodies(root).filter((b) => b === "I need help with my order")).toHaveLength(1);
    expect(row().querySelector(".tick")!.getAttribute("aria-label")).toBe("Read");

    // The agent types, then replies with an HTML-looking body: it stays text.
    socket.receive("typing", { conversation_id: "c1", is_typing: true, sender: { type: "agent", name: "Ana" } }, CHANNEL);
    expect($(root, ".typing")!.hidden).toBe(false);
    expect($(root, ".typing")!.textContent).toContain("Ana is typing");
    const evil = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    socket.receive("message.sent", { message: agentMessage(200, evil) }, CHANNEL);
    expect(bodies(root).at(-1)).toBe(evil);
    expect(root.querySelector(".list img, .list b")).toBeNull();
    expect($(root, ".typing")!.hidden).toBe(true);
    expect($(root, "[aria-live]")!.textContent).toBe(`Ana: ${evil}`);

    // Shown in an open, visible window: acknowledged as delivered and read.
    await vi.waitFor(() => expect(backend.to("/read").map((c) => c.body)).toContainEqual({ up_to_message_id: uuid7(200) }));
    expect(backend.to("/delivered").map((c) => c.body)).toContainEqual({ up_to_message_id: uuid7(200) });
    expect(backend.to("/read").every((c) => c.token === "tok_1")).toBe(true);

    // Escape closes and gives focus back to the launcher; a reply while closed raises the badge.
    textarea.focus();
    textarea.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    expect($(root, ".win")!.classList.contains("open")).toBe(false);
    expect(root.activeElement).toBe(launcher);
    const reads = backend.to("/read").length;
    socket.receive("message.sent", { message: agentMessage(201, "Still there?") }, CHANNEL);
    expect($(root, ".badge")!.hidden).toBe(false);
    expect($(root, ".badge")!.textContent).toBe("1");
    expect(launcher.getAttribute("aria-label")).toBe("Open chat, 1 unread message");
    await vi.waitFor(() => expect(backend.to("/delivered").map((c) => c.body)).toContainEqual({ up_to_message_id: uuid7(201) }));
    expect(backend.to("/read")).toHaveLength(reads);

    // window.Parley opens it again, which reads the new reply.
    window.Parley!.open();
    expect($(root, ".badge")!.hidden).toBe(true);
    await vi.waitFor(() => expect(backend.to("/read").map((c) => c.body)).toContainEqual({ up_to_message_id: uuid7(201) }));
  });

  it("shows a required pre-chat form, then starts the session with name and email", async () => {
    backend.config.greeting = "Hello from Acme! Ask away.";
    const root = start({ "data-require-name": "true", "data-position": "left", "data-color": "#111111" });
    await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
    expect($(root, ".pw")!.classList.contains("left")).toBe(true);
    expect($(root, ".pw")!.style.getPropertyValue("--c")).toBe("#111111");
    window.Parley!.toggle();
    const form = $<HTMLFormElement>(root, "form.pre")!;
    expect(form).not.toBeNull();
    expect($(root, "button.link")).toBeNull(); // no Skip when required
    expect(root.activeElement).toBe($(root, "input[name=name]"));

    form.dispatchEvent(new Event("submit", { cancelable: true }));
    expect($(root, ".err")!.textContent).toBe("Please enter your name.");
    expect(backend.to("/sessions")).toHaveLength(0);

    $<HTMLInputElement>(root, "input[name=name]")!.value = "Jo";
    $<HTMLInputElement>(root, "input[name=email]")!.value = "jo@example.com";
    form.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect($(root, "textarea")).not.toBeNull());
    expect(backend.to("/sessions")[0]!.body).toEqual({ name: "Jo", email: "jo@example.com" });
    expect(localStorage.getItem("parley:wk_test")).toBe("tok_100");
    expect(root.activeElement).toBe($(root, "textarea"));
    expect($(root, ".empty")!.textContent).toBe("Hello from Acme! Ask away.");
  });

  it("forgets an expired token, offers a skippable pre-chat, and marks a failed send with Retry", async () => {
    localStorage.setItem("parley:wk_test", "tok_expired");
    const root = start();
    await vi.waitFor(() => expect(localStorage.getItem("parley:wk_test")).toBeNull());
    window.Parley!.open();
    await vi.waitFor(() => expect($(root, "button.link")).not.toBeNull());
    $<HTMLButtonElement>(root, "button.link")!.click();
    expect($(root, ".empty")!.textContent).toContain("Ask us anything");
    expect(root.activeElement).toBe($(root, "textarea"));

    backend.sendFailure = 500;
    const textarea = $<HTMLTextAreaElement>(root, "textarea")!;
    textarea.value = "hello";
    $<HTMLFormElement>(root, "form.comp")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await vi.waitFor(() => expect($(root, ".tick")!.getAttribute("aria-label")).toBe("Not sent"));
    const firstId = backend.to("/messages", "POST")[0]!.body!.client_message_id;

    backend.sendFailure = null;
    $<HTMLButtonElement>(root, "button.retry")!.click();
    await vi.waitFor(() => expect($(root, ".tick")!.getAttribute("aria-label")).toBe("Sent"));
    expect($(root, "button.retry")).toBeNull();
    expect(backend.to("/messages", "POST").map((c) => c.body!.client_message_id)).toEqual([firstId, firstId]);
    expect(backend.to("/sessions")).toHaveLength(1);
  });
});
