import { flushPromises, mount } from "@vue/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../../i18n/index.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeContact } from "../../../testing/factories.ts";
import MessagePreview from "./MessagePreview.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const base = `/api/v1/workspaces/${workspaceId}`;
const message = { body: "Halo {{name}}!", variations: ["Hai {{name}}, promo!"] };

/** Mounts the preview and picks the contact Dewi in it; returns the requests it made. */
async function previewForDewi(campaignId: string | null) {
  const requests = fakeFetch({
    [`GET ${base}/contacts`]: () => jsonResponse({ data: [makeContact({ id: "contact-dewi", name: "Dewi" })], next_cursor: null }),
    [`POST ${base}/campaigns/preview`]: () => jsonResponse({ text: "Hai Dewi, promo!", template: null }),
  });
  vi.useFakeTimers();
  const wrapper = mount(MessagePreview, { props: { workspaceId, inboxId: "inbox-web", message, campaignId } });
  await wrapper.get('input[type="search"]').setValue("Dew");
  await vi.runAllTimersAsync();
  await flushPromises();
  await wrapper.get('[role="option"]').trigger("click");
  await flushPromises();
  return { wrapper, previews: requests.filter((request) => request.url === `${base}/campaigns/preview`) };
}

describe("the message preview", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    setLocale("en");
  });

  it("asks for the saved campaign's own variation for the contact, and shows it", async () => {
    const { wrapper, previews } = await previewForDewi("campaign-1");
    expect(previews.map((request) => request.body)).toEqual([{ inbox_id: "inbox-web", message, contact_id: "contact-dewi", campaign_id: "campaign-1" }]);
    expect(wrapper.get('[data-testid="preview-bubble"]').text()).toBe("Hai Dewi, promo!");
    expect(wrapper.find('[data-testid="preview-variation-note"]').exists()).toBe(false);
  });

  it("says an unsaved campaign's variation is only an example, in English and Indonesian", async () => {
    const { wrapper, previews } = await previewForDewi(null);
    expect(previews.map((request) => request.body)).toEqual([{ inbox_id: "inbox-web", message, contact_id: "contact-dewi" }]);
    expect(wrapper.get('[data-testid="preview-variation-note"]').text()).toContain("save it as a draft");
    setLocale("id");
    await flushPromises();
    expect(wrapper.get('[data-testid="preview-variation-note"]').text()).toContain("simpan sebagai draf");
  });

  it("shows the contact picked last when an earlier contact's answer arrives after it", async () => {
    let answerForDewi: (response: Response) => void = () => {};
    fakeFetch({
      [`GET ${base}/contacts`]: () =>
        jsonResponse({ data: [makeContact({ id: "contact-dewi", name: "Dewi" }), makeContact({ id: "contact-budi", name: "Budi" })], next_cursor: null }),
      [`POST ${base}/campaigns/preview`]: (body) =>
        body.contact_id === "contact-dewi"
          ? new Promise<Response>((resolve) => (answerForDewi = resolve))
          : jsonResponse({ text: "Halo Budi!", template: null }),
    });
    vi.useFakeTimers();
    const wrapper = mount(MessagePreview, { props: { workspaceId, inboxId: "inbox-web", message, campaignId: "campaign-1" } });
    const pick = async (name: string) => {
      await wrapper.get('input[type="search"]').setValue(name.slice(0, 3));
      await vi.runAllTimersAsync();
      await flushPromises();
      await wrapper
        .findAll('[role="option"]')
        .find((option) => option.text().includes(name))!
        .trigger("click");
      await flushPromises();
    };
    await pick("Dewi");
    await pick("Budi");
    expect(wrapper.get('[data-testid="preview-bubble"]').text()).toBe("Halo Budi!");
    answerForDewi(jsonResponse({ text: "Halo Dewi!", template: null }));
    await flushPromises();
    expect(wrapper.get('[data-testid="preview-bubble"]').text()).toBe("Halo Budi!");
    expect(wrapper.text()).toContain("Budi");
  });
});
