import { flushPromises } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeContact } from "../../../testing/factories.ts";
import { useContactsStore } from "./contacts.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const contactsPath = `/api/v1/workspaces/${workspaceId}/contacts`;

describe("contacts store", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useContactsStore().reset({ workspaceId, me: { id: "me", name: "Me" } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the filtered first page, then the next one after the last contact", async () => {
    const [ani, budi, citra] = [makeContact({ name: "Ani" }), makeContact({ name: "Budi" }), makeContact({ name: "Citra" })];
    const requests = fakeFetch({
      [`GET ${contactsPath}?q=an&label=VIP%2CJakarta&opted_out=false&limit=50&before=`]: () => jsonResponse({ data: [citra], next_cursor: null }),
      [`GET ${contactsPath}?q=an&label=VIP%2CJakarta&opted_out=false&limit=50`]: () => jsonResponse({ data: [ani, budi], next_cursor: budi.id }),
    });
    const store = useContactsStore();
    await store.search({ q: " an ", labels: ["VIP", "Jakarta"], optedOut: false });
    expect(store.contacts.map((contact) => contact.name)).toEqual(["Ani", "Budi"]);
    expect(store.hasMore).toBe(true);
    await store.loadMore();
    expect(requests.at(-1)!.url).toBe(`${contactsPath}?q=an&label=VIP%2CJakarta&opted_out=false&limit=50&before=${budi.id}`);
    expect(store.contacts.map((contact) => contact.name)).toEqual(["Ani", "Budi", "Citra"]);
    expect(store.hasMore).toBe(false);
  });

  it("drops a page that arrives after the filter changed", async () => {
    const stale = makeContact({ name: "Stale" });
    const fresh = makeContact({ name: "Fresh" });
    let answerStale!: () => void;
    fakeFetch({
      [`GET ${contactsPath}?q=old`]: () => new Promise((resolve) => (answerStale = () => resolve(jsonResponse({ data: [stale], next_cursor: null })))),
      [`GET ${contactsPath}?q=new`]: () => jsonResponse({ data: [fresh], next_cursor: null }),
    });
    const store = useContactsStore();
    const first = store.search({ q: "old" });
    await flushPromises();
    await store.search({ q: "new" });
    answerStale();
    await first;
    expect(store.contacts.map((contact) => contact.name)).toEqual(["Fresh"]);
  });

  it("takes a contact who opted out out of a list of subscribed contacts, and updates one in place otherwise", async () => {
    const dewi = makeContact({ name: "Dewi" });
    fakeFetch({ [`GET ${contactsPath}`]: () => jsonResponse({ data: [dewi], next_cursor: null }) });
    const store = useContactsStore();
    await store.search({});
    store.applyUpdated({ ...dewi, name: "Dewi L." });
    expect(store.contacts[0]!.name).toBe("Dewi L.");
    await store.search({ optedOut: false });
    store.applyUpdated({ ...dewi, opted_out_at: "2026-11-29T08:00:00.000Z", opt_out_source: "keyword" });
    expect(store.contacts).toEqual([]);
  });
});
