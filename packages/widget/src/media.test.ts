// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { boot } from "./boot.ts";
import { MAX_FILE_BYTES } from "./chat.ts";
import { FakeBackend, agentMessage } from "./testing/fake-backend.ts";
import type { Widget } from "./widget.ts";

const BASE = "https://parley.example";

let widget: Widget | null = null;
let backend: FakeBackend;

beforeEach(() => {
  backend = new FakeBackend(BASE);
  localStorage.clear();
  localStorage.setItem("parley:wk_test", "tok_1");
  delete window.Parley;
  delete window.ParleySettings;
});

afterEach(() => {
  widget?.destroy();
  widget = null;
});

async function open(): Promise<ShadowRoot> {
  const tag = document.createElement("script");
  tag.setAttribute("src", `${BASE}/widget.js`);
  tag.setAttribute("data-widget-key", "wk_test");
  // No WebSocket: the widget polls, which is all these tests need.
  widget = boot(tag, { fetch: backend.fetch });
  const root = widget!.host.shadowRoot!;
  await vi.waitFor(() => expect(document.body.contains(widget!.host)).toBe(true));
  window.Parley!.open();
  await vi.waitFor(() => expect(root.querySelector("textarea")).not.toBeNull());
  await vi.waitFor(() => expect(backend.to("/messages", "GET").length).toBeGreaterThan(0));
  return root;
}

/** Picks `file` with the paperclip, the way a browser reports it: a change event on the hidden input. */
function pick(root: ShadowRoot, file: File): void {
  const picker = root.querySelector<HTMLInputElement>("input[type=file]")!;
  expect(picker.accept).toBe("image/*,application/pdf,audio/*,video/*");
  Object.defineProperty(picker, "files", { value: [file], configurable: true });
  root.querySelector<HTMLButtonElement>("button.clip")!.click();
  picker.dispatchEvent(new Event("change"));
}

const png = (size: number, name = "photo.png") => new File([new Uint8Array(size)], name, { type: "image/png" });
const myRow = (root: ShadowRoot) => [...root.querySelectorAll(".row.me")].at(-1)!;

describe("attachments in the widget", () => {
  it("uploads a picked image, shows it pending, then sends it with its media_id and shows the thumbnail", async () => {
    const root = await open();
    let release!: () => void;
    backend.uploadGate = new Promise((r) => (release = r));
    pick(root, png(2048));

    // At once: a bubble with the file's name and size, saying it is being sent.
    expect(myRow(root).querySelector(".file")!.textContent).toBe("photo.png2 KB");
    expect(myRow(root).querySelector(".meta")!.textContent).toContain("Sending…");
    expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Sending");
    await vi.waitFor(() => expect(backend.to("/media", "POST")).toHaveLength(1));
    const uploadCall = backend.to("/media", "POST")[0]!;
    expect(uploadCall.token).toBe("tok_1");
    expect(uploadCall.file).toMatchObject({ name: "photo.png", size: 2048, type: "image/png" });
    expect(backend.to("/messages", "POST")).toHaveLength(0);

    release();
    await vi.waitFor(() => expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Sent"));
    const [mediaId] = [...backend.uploads.keys()];
    const send = backend.to("/messages", "POST")[0]!;
    expect(send.body).toEqual({ media_id: mediaId, client_message_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // The server's copy replaces the placeholder: a thumbnail linking to the full image on the API's origin.
    const link = myRow(root).querySelector<HTMLAnchorElement>("a.att")!;
    expect(link.href).toBe(`${BASE}/api/v1/media/${mediaId}?key=k`);
    expect(link.target).toBe("_blank");
    expect(link.querySelector("img")!.getAttribute("src")).toBe(`${BASE}/api/v1/media/${mediaId}?key=k`);
    expect(myRow(root).querySelector(".meta")!.textContent).not.toContain("Sending…");
    expect(root.querySelectorAll(".row.me")).toHaveLength(1);
  });

  it("refuses a file over 10 MB before uploading, and says so", async () => {
    const root = await open();
    pick(root, png(MAX_FILE_BYTES + 1, "huge.png"));
    expect(root.querySelector(".comp .err")!.textContent).toBe("huge.png is larger than 10 MB.");
    expect(root.querySelectorAll(".row.me")).toHaveLength(0);
    // A file of exactly 10 MB goes, and clears the error.
    pick(root, png(MAX_FILE_BYTES, "ok.png"));
    expect(root.querySelector(".comp .err")!.textContent).toBe("");
    await vi.waitFor(() => expect(backend.to("/media", "POST")).toHaveLength(1));
    expect(backend.to("/media", "POST")[0]!.file!.name).toBe("ok.png");
  });

  it("shows a refused upload on the bubble and retries it, uploading once it goes through", async () => {
    const root = await open();
    backend.uploadFailure = 413;
    pick(root, new File(["%PDF-1.7"], "invoice.pdf", { type: "application/pdf" }));
    await vi.waitFor(() => expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Not sent"));
    expect(myRow(root).querySelector(".meta")!.textContent).toContain("Too large (max 10 MB)");
    expect(backend.to("/messages", "POST")).toHaveLength(0);

    backend.uploadFailure = null;
    myRow(root).querySelector<HTMLButtonElement>("button.retry")!.click();
    await vi.waitFor(() => expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Sent"));
    expect(myRow(root).querySelector(".meta")!.textContent).not.toContain("Too large");
    expect(backend.to("/media", "POST")).toHaveLength(2);
    expect(backend.to("/messages", "POST")).toHaveLength(1);
    expect(myRow(root).querySelector("a.file")!.textContent).toBe("invoice.pdf8 B");
  });

  it("reuses the upload when only the send failed", async () => {
    const root = await open();
    backend.sendFailure = 500;
    pick(root, png(100));
    await vi.waitFor(() => expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Not sent"));
    backend.sendFailure = null;
    myRow(root).querySelector<HTMLButtonElement>("button.retry")!.click();
    await vi.waitFor(() => expect(myRow(root).querySelector(".tick")!.getAttribute("aria-label")).toBe("Sent"));
    expect(backend.to("/media", "POST")).toHaveLength(1);
    const sends = backend.to("/messages", "POST").map((c) => c.body);
    expect(sends).toHaveLength(2);
    expect(sends[1]).toEqual(sends[0]);
  });

  it("renders an agent's image, document, audio and video, with captions as text", async () => {
    const media = (id: string, mime: string, filename: string | null, size = 1000) => ({ id, mime, size, url: `/api/v1/media/${id}?key=s`, filename });
    backend.messages.push(
      agentMessage(1, "Here is the label", { type: "image", media: media("m1", "image/jpeg", null) }),
      agentMessage(2, null, { type: "document", media: media("m2", "application/pdf", "Return form.pdf", 245_760) }),
      agentMessage(3, null, { type: "audio", media: media("m3", "audio/mpeg", "note.mp3") }),
      agentMessage(4, null, { type: "video", media: media("m4", "video/mp4", "howto.mp4") }),
      // A hostile URL never becomes a link.
      agentMessage(5, null, { type: "document", media: { ...media("m5", "text/html", "x.html"), url: "javascript:alert(1)" } }),
    );
    const root = await open();
    await vi.waitFor(() => expect(root.querySelectorAll(".row")).toHaveLength(5));
    const [image, document_, audio, video, hostile] = [...root.querySelectorAll(".row .bub")];

    const thumb = image!.querySelector<HTMLAnchorElement>("a.att")!;
    expect(thumb.href).toBe(`${BASE}/api/v1/media/m1?key=s`);
    expect(thumb.querySelector("img")!.alt).toBe("image");
    expect(image!.textContent).toBe("Here is the label");

    const card = document_!.querySelector<HTMLAnchorElement>("a.file")!;
    expect(card.href).toBe(`${BASE}/api/v1/media/m2?key=s`);
    expect(card.querySelector("b")!.textContent).toBe("Return form.pdf");
    expect(card.querySelector("small")!.textContent).toBe("240 KB");

    expect(audio!.querySelector("audio")!.hasAttribute("controls")).toBe(true);
    expect(audio!.querySelector("audio")!.getAttribute("src")).toBe(`${BASE}/api/v1/media/m3?key=s`);
    expect(video!.querySelector("video")!.hasAttribute("controls")).toBe(true);

    expect(hostile!.querySelector("a")).toBeNull();
    expect(hostile!.querySelector(".file")!.textContent).toBe("x.html1000 B");
  });
});
