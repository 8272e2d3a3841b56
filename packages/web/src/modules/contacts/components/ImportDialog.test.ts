import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, fakeXhr } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { useContactsStore } from "../store/contacts.store.ts";
import ImportDialog from "./ImportDialog.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

function setup() {
  setActivePinia(createPinia());
  const store = useContactsStore();
  store.reset({ workspaceId, me: { id: "me", name: "Me" } });
  fakeFetch({
    [`GET /api/v1/workspaces/${workspaceId}/labels`]: () => jsonResponse({ data: [] }),
    [`GET /api/v1/workspaces/${workspaceId}/contacts`]: () => jsonResponse({ data: [], next_cursor: null }),
  });
  const uploads = fakeXhr();
  const wrapper = mount(ImportDialog, {
    props: { run: (file: File, label: string | null, onProgress: (fraction: number) => void) => store.importCsv(file, label, { onProgress }) },
    attachTo: document.body,
  });
  return { wrapper, uploads };
}

async function pick(wrapper: ReturnType<typeof setup>["wrapper"], csv: string) {
  const input = wrapper.get<HTMLInputElement>("#import-file");
  Object.defineProperty(input.element, "files", { value: [new File([csv], "customers.csv", { type: "text/csv" })] });
  await input.trigger("change");
}

describe("ImportDialog", () => {
  it("uploads the file with the default label, shows progress, then the report with each invalid row's reason", async () => {
    const { wrapper, uploads } = setup();
    await pick(wrapper, "phone,name\n0812 3456 7890,Dewi\n12345,Bad\n");
    await wrapper.get("#import-label").setValue("Expo November");
    await wrapper.get("form").trigger("submit");
    const upload = uploads[0]!;
    expect(upload.url).toBe(`/api/v1/workspaces/${workspaceId}/contacts/import`);
    expect(upload.body!.get("label")).toBe("Expo November");
    expect((upload.body!.get("file") as File).name).toBe("customers.csv");
    upload.progress(50, 100);
    await flushPromises();
    expect(wrapper.text()).toContain("Uploading… 50%");
    upload.respond(200, {
      created: 1,
      updated: 2,
      duplicates: 3,
      invalid: [{ row: 3, reason: '"12345" is not a valid phone number (read with default country ID).' }],
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="import-created"]').text()).toBe("1");
    expect(wrapper.get('[data-testid="import-updated"]').text()).toBe("2");
    expect(wrapper.get('[data-testid="import-duplicates"]').text()).toBe("3");
    expect(wrapper.get('[data-testid="import-invalid"]').text()).toContain('Line 3: "12345" is not a valid phone number');
  });

  it("shows the server's reason when the whole file is refused", async () => {
    const { wrapper, uploads } = setup();
    await pick(wrapper, "name\nDewi\n");
    await wrapper.get("form").trigger("submit");
    uploads[0]!.respond(422, { error: { code: "contacts.invalid_import", message: "The file has no phone column (its columns: name).", field: "file" } });
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe("The file has no phone column (its columns: name).");
    expect(wrapper.find('[data-testid="import-report"]').exists()).toBe(false);
  });
});
