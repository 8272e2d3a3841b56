import type { ApiCampaignRecipient, CampaignRecipientStatus } from "@parley/protocol/api";
import { flushPromises } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse } from "../../../testing/factories.ts";
import { useCampaignRecipientsStore } from "./campaign-recipients.store.ts";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const base = `/api/v1/workspaces/${workspaceId}/campaigns/ca-1`;

/**
 * The server's recipients of campaign ca-1, `count` of them, answered page by page as the real
 * route does (ordered by id, `status`, `cursor`, `limit` default 100); `hold` keeps the answers
 * to the next requests back until `release` (`answerNow`: later requests are answered at once).
 */
function fakeRecipients(count: number) {
  const statuses: CampaignRecipientStatus[] = Array.from({ length: count }, () => "pending");
  const held: Array<() => void> = [];
  let holding = false;
  const row = (index: number): ApiCampaignRecipient => ({
    id: `r-${String(index).padStart(4, "0")}`,
    contact_id: `contact-${index}`,
    contact_name: `Customer ${index}`,
    phone: null,
    status: statuses[index]!,
    reason: null,
    error_code: null,
    message_id: null,
    provider_message_id: null,
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    replied_at: null,
    opted_out_at: null,
  });
  const answer = (url: string) => {
    const query = new URL(url, "http://parley.test").searchParams;
    const limit = Number(query.get("limit") ?? 100);
    const after = query.get("cursor");
    const rows = statuses
      .map((_, index) => row(index))
      .filter((recipient) => (!query.get("status") || recipient.status === query.get("status")) && (!after || recipient.id > after))
      .slice(0, limit);
    return jsonResponse({ data: rows, next_cursor: rows.length === limit ? rows[rows.length - 1]!.id : null });
  };
  const requests = fakeFetch({
    [`GET ${base}/recipients`]: (_body, url) => {
      // The answer is read when the request is made: a held answer is as old as its request.
      const response = answer(url);
      if (!holding) return response;
      return new Promise<Response>((resolve) => held.push(() => resolve(response)));
    },
  });
  return {
    requests: () => requests.map((request) => request.url.split("/ca-1")[1]),
    set(from: number, to: number, status: CampaignRecipientStatus) {
      statuses.fill(status, from, to);
    },
    hold() {
      holding = true;
    },
    answerNow() {
      holding = false;
    },
    async release() {
      holding = false;
      for (const resolve of held.splice(0)) resolve();
      await flushPromises();
    },
  };
}

function openStore() {
  setActivePinia(createPinia());
  const store = useCampaignRecipientsStore();
  store.reset({ workspaceId, me: { id: "me", name: "Owner" } });
  return store;
}

const statusesOf = (store: ReturnType<typeof useCampaignRecipientsStore>) => [...new Set(store.rows.map((row) => row.status))];

describe("the recipients table's store", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("re-reads every page scrolled to, keeping all the rows shown and the next page to load", async () => {
    const server = fakeRecipients(250);
    const store = openStore();
    await store.open("ca-1");
    await store.loadMore();
    expect(store.rows).toHaveLength(200);

    server.set(0, 250, "delivered");
    await store.refresh();
    expect(store.rows).toHaveLength(200);
    expect(statusesOf(store)).toEqual(["delivered"]);
    // One request for both pages; the rest still loads from where the table ends.
    expect(server.requests().slice(2)).toEqual(["/recipients?limit=200"]);
    await store.loadMore();
    expect(store.rows.map((row) => row.id).slice(198, 201)).toEqual(["r-0198", "r-0199", "r-0200"]);
    expect(store.rows).toHaveLength(250);
    expect(store.done).toBe(true);
  });

  it("shows the last state when the campaign moves again while a refresh is under way", async () => {
    const server = fakeRecipients(3);
    const store = openStore();
    await store.open("ca-1");
    server.hold();
    const first = store.refresh();
    await flushPromises();
    // The held refresh was answered with all pending; meanwhile all were delivered, and the
    // answer to a refresh now would come before the held one.
    server.set(0, 3, "delivered");
    server.answerNow();
    const last = store.refresh();
    await flushPromises();
    await server.release();
    await Promise.all([first, last]);
    expect(statusesOf(store)).toEqual(["delivered"]);
  });

  it("reads again after a page that was loading when the campaign moved, and never drops that page", async () => {
    const server = fakeRecipients(150);
    const store = openStore();
    await store.open("ca-1");
    server.hold();
    const loading = store.loadMore();
    await flushPromises();
    server.set(0, 150, "sent");
    const refreshed = store.refresh();
    await server.release();
    await Promise.all([loading, refreshed]);
    expect(store.rows).toHaveLength(150);
    expect(statusesOf(store)).toEqual(["sent"]);
  });

  it("keeps the rows shown when a refresh fails", async () => {
    fakeRecipients(2);
    const store = openStore();
    await store.open("ca-1");
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => jsonResponse({ error: { code: "internal", message: "Down" } }, 500)),
    );
    await store.refresh();
    expect(store.rows.map((row) => row.status)).toEqual(["pending", "pending"]);
    expect(store.error).toBeNull();
  });
});
