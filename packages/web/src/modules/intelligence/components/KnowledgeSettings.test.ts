/** Settings → Canned responses, Knowledge base and Labels: create, edit, delete, search, and the server's refusals shown. */
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { useKnowledgeStore } from "../store/knowledge.store.ts";
import ArticleSettings from "./ArticleSettings.vue";
import CannedResponseSettings from "./CannedResponseSettings.vue";
import LabelSettings from "./LabelSettings.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const ws = `/api/v1/workspaces/${workspaceId}`;
const at = "2026-03-01T09:00:00.000Z";
const canned = (id: string, shortcode: string, content: string) => ({ id, shortcode, content, created_at: at, updated_at: at });

beforeEach(() => {
  setActivePinia(createPinia());
  useKnowledgeStore().reset({ workspaceId, me: { id: "me", name: "Agent" } });
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = "";
});

describe("canned responses", () => {
  it("are listed, created and deleted", async () => {
    const requests = fakeFetch({
      [`GET ${ws}/canned-responses`]: () => jsonResponse({ data: [canned("1", "ongkir", "Ongkir Rp10.000")] }),
      [`POST ${ws}/canned-responses`]: (body) => jsonResponse(canned("2", body.shortcode, body.content), 201),
      [`DELETE ${ws}/canned-responses/1`]: () => jsonResponse(null, 204),
    });
    const wrapper = mount(CannedResponseSettings, { props: { canEdit: true }, attachTo: document.body });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="canned-item"]').map((item) => item.find("p").text())).toEqual(["/ongkir"]);
    await wrapper.get("#canned-shortcode").setValue("halo");
    await wrapper.get("#canned-content").setValue("Halo kak {{contact.name}}!");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "POST", body: { shortcode: "halo", content: "Halo kak {{contact.name}}!" } });
    expect(wrapper.findAll('[data-testid="canned-item"]').map((item) => item.find("p").text())).toEqual(["/halo", "/ongkir"]);
    expect((wrapper.get("#canned-shortcode").element as HTMLInputElement).value).toBe("");

    await wrapper.findAll('[data-testid="canned-item"]')[1]!.findAll("button")[1]!.trigger("click");
    await flushPromises();
    const confirm = [...document.querySelectorAll<HTMLButtonElement>('[role="dialog"] button, [role="alertdialog"] button')].find(
      (button) => button.textContent?.trim() === "Delete",
    );
    confirm!.click();
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "DELETE", url: `${ws}/canned-responses/1` });
    expect(wrapper.findAll('[data-testid="canned-item"]').map((item) => item.find("p").text())).toEqual(["/halo"]);
  });

  it("show the server's shortcode error beside the shortcode, and keep what was typed", async () => {
    fakeFetch({
      [`GET ${ws}/canned-responses`]: () => jsonResponse({ data: [] }),
      [`POST ${ws}/canned-responses`]: () =>
        jsonResponse(
          {
            error: {
              code: "canned.invalid_shortcode",
              message: "A shortcode is 1–32 lower-case letters, digits, '_' or '-', starting with a letter or digit.",
              field: "shortcode",
            },
          },
          400,
        ),
    });
    const wrapper = mount(CannedResponseSettings, { props: { canEdit: true } });
    await flushPromises();
    await wrapper.get("#canned-shortcode").setValue("ongkir kirim!");
    await wrapper.get("#canned-content").setValue("Ongkir Rp10.000");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('[data-testid="shortcode-hint"]').text()).toBe(
      "A shortcode is 1–32 lower-case letters, digits, '_' or '-', starting with a letter or digit.",
    );
    expect(wrapper.get("#canned-shortcode").attributes("aria-invalid")).toBe("true");
    expect((wrapper.get("#canned-shortcode").element as HTMLInputElement).value).toBe("ongkir kirim!");
    expect(wrapper.findAll('[data-testid="canned-item"]')).toHaveLength(0);
  });

  it("are read-only for viewers", async () => {
    fakeFetch({ [`GET ${ws}/canned-responses`]: () => jsonResponse({ data: [canned("1", "ongkir", "Ongkir Rp10.000")] }) });
    const wrapper = mount(CannedResponseSettings, { props: { canEdit: false } });
    await flushPromises();
    expect(wrapper.find("form").exists()).toBe(false);
    expect(wrapper.get('[data-testid="canned-item"]').findAll("button")).toHaveLength(0);
  });
});

describe("labels", () => {
  it("are created with a colour, and a refusal is shown", async () => {
    let refuse = false;
    const requests = fakeFetch({
      [`GET ${ws}/labels`]: () => jsonResponse({ data: [] }),
      [`POST ${ws}/labels`]: (body) =>
        refuse
          ? jsonResponse({ error: { code: "labels.invalid_name", message: "A label name is 1–50 characters without commas.", field: "name" } }, 400)
          : jsonResponse({ id: "l1", name: body.name, color: body.color, created_at: at }, 201),
    });
    const wrapper = mount(LabelSettings, { props: { canEdit: true } });
    await flushPromises();
    await wrapper.get("#label-name").setValue("VIP");
    await wrapper.get("#label-color").setValue("#aa0000");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "POST", body: { name: "VIP", color: "#aa0000" } });
    expect(wrapper.get('[data-testid="label-item"]').text()).toContain("VIP");
    refuse = true;
    await wrapper.get("#label-name").setValue("a,b");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toBe("A label name is 1–50 characters without commas.");
    expect(wrapper.findAll('[data-testid="label-item"]')).toHaveLength(1);
  });
});

describe("knowledge-base articles", () => {
  const article = { id: "a1", title: "Pengiriman", body: "Dikirim 2–3 hari kerja.", language: "id", created_at: at, updated_at: at };

  it("are searched, written with a language and edited", async () => {
    const requests = fakeFetch({
      [`GET ${ws}/articles?q=kirim`]: () => jsonResponse({ data: [article] }),
      [`GET ${ws}/articles?q=zzz`]: () => jsonResponse({ data: [] }),
      [`GET ${ws}/articles`]: () => jsonResponse({ data: [] }),
      [`POST ${ws}/articles`]: (body) => jsonResponse({ ...article, id: "a2", ...body }, 201),
      [`PATCH ${ws}/articles/a1`]: (body) => jsonResponse({ ...article, ...body }),
    });
    const wrapper = mount(ArticleSettings, { props: { canEdit: true } });
    await flushPromises();
    expect(wrapper.get('[data-testid="articles-empty"]').text()).toBe("No articles yet.");

    await wrapper.get("#article-search").setValue("kirim");
    await wrapper.get("#article-search").trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(requests.at(-1)!.url).toBe(`${ws}/articles?q=kirim&limit=100`);
    expect(wrapper.findAll('[data-testid="article-item"]').map((item) => item.find("p").text())).toEqual(["Pengiriman id"]);

    await wrapper.get('[data-testid="article-item"]').findAll("button")[0]!.trigger("click");
    expect((wrapper.get("#article-title").element as HTMLInputElement).value).toBe("Pengiriman");
    await wrapper.get("#article-title").setValue("Pengiriman & ongkir");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "PATCH", body: { title: "Pengiriman & ongkir", body: article.body, language: "id" } });

    await wrapper.get("#article-title").setValue("Shipping");
    await wrapper.get("#article-language").setValue("en");
    await wrapper.get("#article-body").setValue("We ship in 2–3 working days.");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(requests.at(-1)).toMatchObject({ method: "POST", body: { title: "Shipping", body: "We ship in 2–3 working days.", language: "en" } });
    expect(wrapper.findAll('[data-testid="article-item"]')).toHaveLength(2);

    await wrapper.get("#article-search").setValue("zzz");
    await wrapper.get("#article-search").trigger("keydown", { key: "Enter" });
    await flushPromises();
    expect(wrapper.get('[data-testid="articles-empty"]').text()).toBe("No article matches “zzz”.");
  });

  it("show the server's refusal and keep the draft", async () => {
    fakeFetch({
      [`GET ${ws}/articles`]: () => jsonResponse({ data: [] }),
      [`POST ${ws}/articles`]: () => jsonResponse({ error: { code: "validation", message: "body: Too big", field: "body" } }, 400),
    });
    const wrapper = mount(ArticleSettings, { props: { canEdit: true } });
    await flushPromises();
    await wrapper.get("#article-title").setValue("Big");
    await wrapper.get("#article-body").setValue("x");
    await wrapper.get("form").trigger("submit");
    await flushPromises();
    expect(wrapper.get('form [role="alert"]').text()).toBe("body: Too big");
    expect((wrapper.get("#article-title").element as HTMLInputElement).value).toBe("Big");
  });
});
