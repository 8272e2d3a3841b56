import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { Store } from "../ports.ts";
import type { SecretTokens } from "../security.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { defaultWidgetSettings, type Inbox, type InboxProvider, type WidgetSettings } from "./inbox.ts";

export interface CreateInboxInput {
  name: string;
  provider: InboxProvider;
  widget?: Partial<WidgetSettings>;
}

/** Creating and reading inboxes. */
export function inboxUseCases({ store, tokens }: { store: Store; tokens: SecretTokens }) {
  return {
    /**
     * Creates an inbox. A web_widget inbox is ready at once and gets a public widget key.
     * Throws `auth.forbidden` (403) for agents and viewers, `inboxes.limit_reached` (409) past the
     * workspace's plan limit, `inboxes.provider_unavailable` (400) for providers not built yet.
     */
    async create(membership: Membership, input: CreateInboxInput): Promise<Inbox> {
      requirePermission(membership, "inboxes.manage");
      if (input.provider !== "web_widget") {
        throw new DomainError("inboxes.provider_unavailable", `The ${input.provider} provider is not available yet.`, { field: "provider" });
      }
      const workspaceId = membership.workspace.id;
      const existing = await store.inboxes.count(workspaceId);
      if (existing >= maxInboxesPerWorkspace) {
        throw new DomainError("inboxes.limit_reached", `A workspace can have at most ${maxInboxesPerWorkspace} inboxes.`);
      }
      return store.inboxes.create({
        id: newId(),
        workspaceId,
        provider: input.provider,
        name: input.name.trim(),
        status: "ready",
        widgetKey: tokens.issue("wk_").token,
        widget: { ...defaultWidgetSettings, ...input.widget },
      });
    },

    async list(membership: Membership): Promise<Inbox[]> {
      return store.inboxes.list(membership.workspace.id);
    },

    /** Throws `inboxes.not_found` (404), also for another workspace's inbox. */
    async get(membership: Membership, id: string): Promise<Inbox> {
      const inbox = await store.inboxes.findById(membership.workspace.id, id);
      if (!inbox) throw notFound("inboxes");
      return inbox;
    },
  };
}

/** Inboxes a workspace may have (the `max_inboxes` plan column will refine this per plan). */
export const maxInboxesPerWorkspace = 50;
export type InboxUseCases = ReturnType<typeof inboxUseCases>;
