/**
 * updateConversation on a real store (PGlite, and PostgreSQL when DATABASE_URL is set): one
 * transaction, events built from what it committed, nothing half-done when a step fails.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test/databases.ts";
import { useTestStore } from "../../../test/stores.ts";
import { systemClock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { DomainEvent } from "../events.ts";
import { newId } from "../ids.ts";
import type { Repositories, Store } from "../ports.ts";
import type { ProviderDirectory } from "../providers/provider.ts";
import { updateConversation, type ConversationDependencies } from "./conversations.usecases.ts";

/** A workspace with its owner, an agent, a widget inbox and one visitor's conversation. */
async function seed(store: Store) {
  const workspace = await store.workspaces.create({ id: newId(), name: "Shop", slug: `shop-${newId().slice(-12)}` });
  const person = async (name: string, role: "owner" | "agent") => {
    const user = await store.users.create({ id: newId(), name, email: `${name.toLowerCase()}-${newId()}@example.com`, passwordHash: "x" });
    await store.members.add({ workspaceId: workspace.id, userId: user.id, role });
    return (await store.members.find(workspace.id, user.id))!;
  };
  const owner = await person("Olga", "owner");
  const agent = await person("Aziz", "agent");
  const inbox = await store.inboxes.create({
    id: newId(),
    workspaceId: workspace.id,
    provider: "web_widget",
    name: "Site",
    status: "ready",
    widgetKey: `wk_${newId().replace(/-/g, "")}`,
    widget: { color: "#000000", position: "right", greeting: null, locale: "auto" },
  });
  const contact = await store.contacts.upsertVisitor({ id: newId(), workspaceId: workspace.id, visitorId: newId(), name: "Vera", email: null });
  const { conversation } = await store.conversations.getOrCreatePrivate({ id: newId(), workspaceId: workspace.id, inboxId: inbox.id, contactId: contact.id });
  return { workspace, owner, agent, conversation };
}

/** The dependencies updateConversation uses, recording what it publishes. */
function dependencies(store: Store): { deps: ConversationDependencies; published: DomainEvent[] } {
  const published: DomainEvent[] = [];
  const providers: ProviderDirectory = {
    forKind: () => {
      throw new Error("updating a conversation calls no provider");
    },
  };
  const sealer = { seal: (text: string) => text, open: (text: string) => text };
  const deps: ConversationDependencies = {
    store,
    events: { publish: async (events) => void published.push(...events) },
    clock: systemClock,
    providers,
    sealer,
    warn: () => {},
  };
  return { deps, published };
}

/** `store`, except that inside its transactions `findSummary` fails: a step after the update breaks. */
function storeFailingAfterUpdate(store: Store): Store {
  return {
    ...store,
    transaction: (work) =>
      store.transaction((repositories) => {
        const broken: Repositories = {
          ...repositories,
          conversations: {
            ...repositories.conversations,
            findSummary: async () => {
              throw new Error("connection lost");
            },
          },
        };
        return work(broken);
      }),
  };
}

describe.each(testEngines())("updateConversation on %s", (engine) => {
  const testStore = useTestStore(engine);
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  it("publishes the conversation as committed, and the assignment for the customer", async () => {
    const { owner, agent, conversation } = await seed(store);
    const { deps, published } = dependencies(store);
    const summary = await updateConversation(deps, owner, conversation.id, { status: "pending", assigneeId: agent.user.id });
    const committed = await store.conversations.findSummary(conversation.workspaceId, conversation.id);
    expect(committed).toMatchObject({ status: "pending", assigneeId: agent.user.id });
    expect(summary).toEqual(committed);
    expect(published).toEqual([
      { type: "conversation.updated", workspaceId: conversation.workspaceId, conversation: committed },
      { type: "conversation.assigned", workspaceId: conversation.workspaceId, conversationId: conversation.id, assignee: { id: agent.user.id, name: "Aziz" } },
    ]);
  });

  it("changes nothing and publishes nothing when a step after the update fails", async () => {
    const { owner, agent, conversation } = await seed(store);
    const { deps, published } = dependencies(storeFailingAfterUpdate(store));
    await expect(updateConversation(deps, owner, conversation.id, { status: "resolved", assigneeId: agent.user.id })).rejects.toThrow("connection lost");
    expect(await store.conversations.findById(conversation.workspaceId, conversation.id)).toMatchObject({ status: "open", assigneeId: null });
    expect(published).toEqual([]);
  });

  it("refuses an assignee who is no longer a member, and changes nothing", async () => {
    const { workspace, owner, agent, conversation } = await seed(store);
    await store.members.remove(workspace.id, agent.user.id);
    const { deps, published } = dependencies(store);
    const refused = await updateConversation(deps, owner, conversation.id, { status: "resolved", assigneeId: agent.user.id }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("conversations.invalid_assignee");
    expect(await store.conversations.findById(conversation.workspaceId, conversation.id)).toMatchObject({ status: "open", assigneeId: null });
    expect(published).toEqual([]);
  });

  it("announces an assignment once when two agents assign the same person at the same time", async () => {
    const { owner, agent, conversation } = await seed(store);
    const { deps, published } = dependencies(store);
    await Promise.all([
      updateConversation(deps, owner, conversation.id, { assigneeId: agent.user.id }),
      updateConversation(deps, agent, conversation.id, { assigneeId: agent.user.id }),
    ]);
    expect(published.filter((event) => event.type === "conversation.assigned")).toHaveLength(1);
    expect(published.filter((event) => event.type === "conversation.updated")).toHaveLength(2);
  });

  it("answers conversations.not_found for another workspace's conversation and publishes nothing", async () => {
    const first = await seed(store);
    const second = await seed(store);
    const { deps, published } = dependencies(store);
    const refused = await updateConversation(deps, second.owner, first.conversation.id, { status: "resolved" }).catch((error: unknown) => error);
    expect((refused as DomainError).code).toBe("conversations.not_found");
    expect(await store.conversations.findById(first.workspace.id, first.conversation.id)).toMatchObject({ status: "open" });
    expect(published).toEqual([]);
  });
});
