import { flushPromises, mount } from "@vue/test-utils";
import { createPinia, setActivePinia } from "pinia";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Conversation, GroupParticipant } from "../../../lib/types.ts";
import { fakeFetch } from "../../../testing/fake-server.ts";
import { jsonResponse, makeConversation } from "../../../testing/factories.ts";
import { participantsRefreshDelayMs, useParticipantsStore } from "../store/participants.store.ts";
import ContactPanel from "./ContactPanel.vue";

const workspaceId = "w0000000-0000-4000-8000-000000000001";
const businessPhone = "+15550001111";

const member = (overrides: Partial<GroupParticipant>): GroupParticipant => ({
  jid: "6281234567890@s.whatsapp.net",
  contact_id: "c-dewi",
  name: "Dewi",
  phone: "+6281234567890",
  is_admin: false,
  joined_at: "2024-03-05T09:00:00.000Z",
  ...overrides,
});
const business = member({ jid: "15550001111@s.whatsapp.net", contact_id: null, name: null, phone: businessPhone, is_admin: true });
const dewi = member({});
const rudi = member({
  jid: "6281311112222@s.whatsapp.net",
  contact_id: "c-rudi",
  name: "Rudi",
  phone: "+6281311112222",
  joined_at: "2024-03-06T09:00:00.000Z",
});

const group = (overrides: Partial<Conversation> = {}) =>
  makeConversation({
    id: "c0000000-0000-4000-8000-0000000000g1",
    kind: "group",
    contact: null,
    group: { jid: "120363012345678901@g.us", subject: "Reseller Jakarta", participant_count: 3 },
    inbox: { id: "i0000000-0000-4000-8000-000000000001", name: "WhatsApp", provider: "whatsapp_web" },
    ...overrides,
  });
const participantsPath = (conversation: Conversation) => `/api/v1/workspaces/${workspaceId}/conversations/${conversation.id}/participants`;

function panel(conversation: Conversation) {
  return mount(ContactPanel, {
    props: {
      conversation,
      inbox: conversation.inbox,
      businessPhone,
      members: [],
      onlineUserIds: new Set<string>(),
      myUserId: "me",
      canUpdate: true,
      contactTyping: false,
      narrow: false,
    },
  });
}

describe("a group's participants in the info panel", () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    useParticipantsStore().reset({ workspaceId, me: { id: "me", name: "Me" } });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("lists the members with their number, admin badge and join date, and the count in its header", async () => {
    const conversation = group();
    const requests = fakeFetch({ [`GET ${participantsPath(conversation)}`]: () => jsonResponse({ data: [business, dewi, rudi] }) });
    const wrapper = panel(conversation);
    expect(wrapper.get("h2").text()).toBe("Group info");
    expect(wrapper.get('[data-testid="participants-count"]').text()).toBe("3 participants");
    await flushPromises();
    expect(requests).toEqual([{ method: "GET", url: participantsPath(conversation), body: undefined }]);
    const rows = wrapper.findAll('[data-testid="participant"]');
    expect(rows.map((row) => row.get('[data-testid="participant-name"]').text())).toEqual(["This inbox", "Dewi", "Rudi"]);
    expect(rows[0]!.find('[data-testid="admin-badge"]').text()).toBe("Group admin");
    expect(rows[1]!.find('[data-testid="admin-badge"]').exists()).toBe(false);
    expect(rows[1]!.get('[data-testid="participant-phone"]').text()).toBe("+6281234567890");
    expect(rows[2]!.get('[data-testid="participant-joined"]').text()).toMatch(/^Joined 6 March 2024$|^Joined March 6, 2024$/);
    expect(rows[2]!.get('[data-testid="participant-joined"]').attributes("datetime")).toBe(rudi.joined_at);
  });

  it("shows a member who is no contact by their number, once", async () => {
    const conversation = group({ group: { jid: "120363012345678901@g.us", subject: "Reseller", participant_count: 1 } });
    const stranger = member({ jid: "6281399998888@s.whatsapp.net", contact_id: null, name: null, phone: "+6281399998888", joined_at: null });
    fakeFetch({ [`GET ${participantsPath(conversation)}`]: () => jsonResponse({ data: [stranger] }) });
    const wrapper = panel(conversation);
    await flushPromises();
    const row = wrapper.get('[data-testid="participant"]');
    expect(row.get('[data-testid="participant-name"]').text()).toBe("+6281399998888");
    expect(row.find('[data-testid="participant-phone"]').exists()).toBe(false);
    expect(row.find('[data-testid="participant-joined"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="participants-count"]').text()).toBe("1 participant");
  });

  it("reloads once after a burst of changes to the group, and shows who joined, left or became admin", async () => {
    vi.useFakeTimers();
    const conversation = group();
    let answer = [business, dewi, rudi];
    const requests = fakeFetch({ [`GET ${participantsPath(conversation)}`]: () => jsonResponse({ data: answer }) });
    const wrapper = panel(conversation);
    await flushPromises();
    const store = useParticipantsStore();
    // Rudi left, Dewi was made admin: the group's conversation.updated events say something changed.
    answer = [business, { ...dewi, is_admin: true }];
    store.changed(conversation.id);
    store.changed(conversation.id);
    store.changed("c0000000-0000-4000-8000-00000000other");
    await vi.advanceTimersByTimeAsync(participantsRefreshDelayMs);
    await flushPromises();
    expect(requests).toHaveLength(2);
    const rows = wrapper.findAll('[data-testid="participant"]');
    expect(rows.map((row) => [row.get('[data-testid="participant-name"]').text(), row.find('[data-testid="admin-badge"]').exists()])).toEqual([
      ["This inbox", true],
      ["Dewi", true],
    ]);
    expect(wrapper.get('[data-testid="participants-count"]').text()).toBe("2 participants");

    // Closed, the panel's group is not reloaded any more.
    wrapper.unmount();
    store.changed(conversation.id);
    await vi.advanceTimersByTimeAsync(participantsRefreshDelayMs);
    expect(requests).toHaveLength(2);
  });

  it("does not lose a change that comes while the list is loading: it loads again after", async () => {
    const conversation = group();
    let release: (() => void) | undefined;
    let answer = [dewi];
    const requests = fakeFetch({
      [`GET ${participantsPath(conversation)}`]: async () => {
        const data = answer;
        await new Promise<void>((resolve) => (release = resolve));
        return jsonResponse({ data });
      },
    });
    const wrapper = panel(conversation);
    await flushPromises();
    answer = [dewi, rudi];
    await useParticipantsStore().load(conversation.id, true);
    release!();
    await flushPromises();
    release!();
    await flushPromises();
    expect(requests).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="participant"]')).toHaveLength(2);
  });

  it("says when the members could not be loaded, and tries again on request", async () => {
    const conversation = group();
    let fail = true;
    fakeFetch({
      [`GET ${participantsPath(conversation)}`]: () =>
        fail ? jsonResponse({ error: { code: "internal", message: "Something broke." } }, 500) : jsonResponse({ data: [dewi] }),
    });
    const wrapper = panel(conversation);
    await flushPromises();
    expect(wrapper.get('[role="alert"]').text()).toContain("Something broke.");
    fail = false;
    await wrapper.get('[role="alert"] button').trigger("click");
    await flushPromises();
    expect(wrapper.findAll('[data-testid="participant"]')).toHaveLength(1);
  });

  it("asks for no members in a private conversation", () => {
    const requests = fakeFetch({});
    const wrapper = panel(makeConversation());
    expect(wrapper.get("h2").text()).toBe("Contact info");
    expect(wrapper.find('[data-testid="group-participants"]').exists()).toBe(false);
    expect(requests).toEqual([]);
  });
});
