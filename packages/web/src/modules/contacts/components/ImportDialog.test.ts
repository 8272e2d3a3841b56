import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch, fakeXhr } from "../../../testing/fake-server.ts";
import { setLocale } from "../../../i18n/index.ts";
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
      invalid: [{ row: 3, problem: "invalid_phone", value: "12345", reason: '"12345" is not a valid phone number (read with default country ID).' }],
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="import-created"]').text()).toBe("1");
    expect(wrapper.get('[data-testid="import-updated"]').text()).toBe("2");
    expect(wrapper.get('[data-testid="import-duplicates"]').text()).toBe("3");
    expect(wrapper.get('[data-testid="import-invalid"]').text()).toBe("Line 3: Invalid number: “12345”.");
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

  it("speaks Indonesian when the agent does: headings, progress, counts with Indonesian digits, each invalid row", async () => {
    setLocale("id");
    const { wrapper, uploads } = setup();
    expect(wrapper.get("h2").text()).toBe("Impor kontak dari CSV");
    expect(wrapper.text()).toContain("Kolom phone wajib ada");
    await pick(wrapper, "phone\n0812 3456 7890\n");
    await wrapper.get("form").trigger("submit");
    uploads[0]!.progress(25, 100);
    await flushPromises();
    expect(wrapper.text()).toContain("Mengunggah… 25%");
    uploads[0]!.respond(200, {
      created: 1234,
      updated: 0,
      duplicates: 2,
      invalid: [
        { row: 3, problem: "invalid_phone", value: "12345", reason: "English" },
        { row: 4, problem: "missing_phone", value: "", reason: "English" },
      ],
    });
    await flushPromises();
    expect(wrapper.get('[data-testid="import-created"]').text()).toBe("1.234");
    expect(wrapper.text()).toContain("Duplikat");
    expect(wrapper.text()).toContain("2 baris tidak valid tidak diimpor");
    expect(wrapper.get('[data-testid="import-invalid"]').text()).toBe("Baris 3: Nomor tidak valid: “12345”.Baris 4: Nomor HP kosong.");
    expect(wrapper.findAll("button").map((button) => button.text())).toEqual(["Selesai", "Impor"]);
  });

  it("counts invalid rows in English as one row or many", async () => {
    const { wrapper, uploads } = setup();
    await pick(wrapper, "phone\n1\n");
    await wrapper.get("form").trigger("submit");
    uploads[0]!.respond(200, { created: 0, updated: 0, duplicates: 0, invalid: [{ row: 2, problem: "missing_phone", value: "", reason: "No phone number." }] });
    await flushPromises();
    expect(wrapper.text()).toContain("1 invalid row not imported");
  });
});
