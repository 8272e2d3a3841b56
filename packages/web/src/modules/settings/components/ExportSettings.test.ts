import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeInbox } from "../../../testing/factories.ts";
import { useInboxesStore } from "../store/inboxes.store.ts";
import ExportSettings from "./ExportSettings.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const exportPath = `/api/v1/workspaces/${workspaceId}/exports/conversations.jsonl`;

function setup(canManage = true) {
  setActivePinia(createPinia());
  const store = useInboxesStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  store.inboxes = [makeInbox({ id: "i0000000-0000-4000-8000-000000000001", name: "Toko" })];
  store.loaded = true;
  return mount(ExportSettings, { props: { workspaceId, canManage }, attachTo: document.body });
}

/** A streamed answer whose second chunk waits for `release`. */
function streamedAnswer(first: string, second: string) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(encoder.encode(first));
      await gate;
      controller.enqueue(encoder.encode(second));
      controller.close();
    },
  });
  return { response: new Response(body, { headers: { "content-type": "application/x-ndjson" } }), release };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("ExportSettings", () => {
  it("downloads with the chosen format, dates (to inclusive), inbox and redaction, showing the bytes received", async () => {
    const answer = streamedAnswer(`${"x".repeat(2047)}\n`, "{}\n");
    const requests = fakeFetch({ [`GET ${exportPath}`]: () => answer.response });
    const created = vi.fn(() => "blob:export");
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => {});
    const wrapper = setup();

    await wrapper.get("#export-format").setValue("openai");
    await wrapper.get("#export-from").setValue("2025-11-01");
    await wrapper.get("#export-to").setValue("2025-11-30");
    await wrapper.get("#export-inbox").setValue("i0000000-0000-4000-8000-000000000001");
    await wrapper.get('input[type="checkbox"]').setValue(false);
    await wrapper.get("form").trigger("submit");
    await flushPromises();

    expect(requests[0]!.url).toBe(`${exportPath}?format=openai&redact=false&from=2025-11-01&to=2025-12-01&inbox_id=i0000000-0000-4000-8000-000000000001`);
    expect(wrapper.get('[data-testid="export-progress"]').text()).toBe("1 conversation, 2.0 KB received…");
    answer.release();
    await flushPromises();
    await vi.waitFor(() => expect(click).toHaveBeenCalled());
    expect(created).toHaveBeenCalledWith(expect.any(Blob));
    expect(wrapper.find('[data-testid="export-progress"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="export-done"]').text()).toBe("2 conversations exported.");
  });

  it("shows the server's refusal", async () => {
    fakeFetch({
      [`GET ${exportPath}`]: () => jsonResponse({ error: { code: "auth.forbidden", message: "A member with the agent role cannot do this." } }, 403),
    });
    const wrapper = setup();
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe("A member with the agent role cannot do this.");
  });

  it("offers no form to agents and viewers", () => {
    const wrapper = setup(false);
    expect(wrapper.find("form").exists()).toBe(false);
    expect(wrapper.text()).toContain("Only owners and admins can export conversations.");
  });
});
