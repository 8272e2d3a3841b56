import { DomainError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { kickInboxCampaigns } from "../campaigns/scheduling.ts";
import type { Store } from "../ports.ts";
import { ProviderError, type ProviderDirectory, type ProviderTemplate } from "../providers/provider.ts";
import type { SecretSealer, SecretTokens } from "../security.ts";
import { openProviderInbox } from "./provider-inbox.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { defaultWidgetSettings, type Inbox, type WhatsappEngine, type WidgetSettings } from "./inbox.ts";
import { defaultMessagingLimit, parseMessagingLimit } from "./messaging-limit.ts";

/** The settings of a WhatsApp Cloud API number, as an admin enters them (secrets in clear). */
export interface CloudApiInput {
  phoneNumberId: string;
  wabaId: string | null;
  graphBaseUrl: string;
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  /** The number's messaging limit as sent (checked here); 250 when absent. */
  messagingLimit?: unknown;
}

export type CreateInboxInput =
  | { name: string; provider: "web_widget"; widget?: Partial<WidgetSettings> }
  | { name: string; provider: "whatsapp_cloud"; cloudApi: CloudApiInput }
  | { name: string; provider: "whatsapp_web"; engine: WhatsappEngine };

export interface InboxDependencies {
  store: Store;
  tokens: SecretTokens;
  sealer: SecretSealer;
  providers: ProviderDirectory;
  /** Asks this node's WhatsApp Web runtime to take a new session at once (not at its next round). */
  startSessions?: () => void;
}

/**
 * The approved message templates of the inbox's WhatsApp Business Account, for the agent to
 * pick once the customer-service window has closed. Any member may read them. Throws
 * `inboxes.not_found` (404, also for another workspace's inbox), `templates.unavailable`
 * (400) for an inbox whose provider has no templates (or a Cloud inbox without a WABA id),
 * and the provider's refusal as `providers.unreachable` (502).
 */
export async function listInboxTemplates(deps: InboxDependencies, membership: Membership, inboxId: string): Promise<ProviderTemplate[]> {
  const found = await deps.store.inboxes.findWithConfig(inboxId);
  if (!found || found.inbox.workspaceId !== membership.workspace.id) throw notFound("inboxes");
  const provider = deps.providers.forKind(found.inbox.provider);
  if (!provider.listTemplates || (found.inbox.cloudApi && !found.inbox.cloudApi.wabaId)) {
    throw new DomainError("templates.unavailable", "This inbox has no message templates (a Cloud API inbox needs its WhatsApp Business Account id).");
  }
  try {
    return await provider.listTemplates(openProviderInbox(found.inbox, found.config, deps.sealer));
  } catch (error) {
    if (error instanceof ProviderError) throw new DomainError("providers.unreachable", `WhatsApp did not list the templates: ${error.reason}`);
    throw error;
  }
}

/**
 * Creates an inbox. A web_widget inbox is ready at once and gets a public widget key; a
 * whatsapp_cloud inbox keeps its access token, app secret and verify token sealed at rest
 * (config layout: `{phone_number_id, waba_id, graph_base_url, sealed: {access_token,
 * app_secret, verify_token}}`) and is ready once Meta calls its webhook URL; a whatsapp_web
 * inbox (config `{engine}`) starts `disconnected` and a node's session runtime links it
 * (QR, then ready). Throws `auth.forbidden` (403) for agents and viewers,
 * `inboxes.limit_reached` (409) past the workspace's plan limit, `inboxes.invalid_messaging_limit`
 * (422) for a Cloud API messaging limit other than 250, 2000, 10000, 100000 or "unlimited".
 */
export async function createInbox(deps: InboxDependencies, membership: Membership, input: CreateInboxInput): Promise<Inbox> {
  const { store, sealer } = deps;
  requirePermission(membership, "inboxes.manage");
  const workspaceId = membership.workspace.id;
  // A WhatsApp Web inbox is disconnected until a node's session runtime takes it and links it.
  const common = {
    id: newId(),
    workspaceId,
    provider: input.provider,
    name: input.name.trim(),
    status: input.provider === "whatsapp_web" ? ("disconnected" as const) : ("ready" as const),
  };
  const settings =
    input.provider === "whatsapp_web"
      ? { widgetKey: null, widget: null, config: { engine: input.engine } }
      : input.provider === "whatsapp_cloud"
        ? {
            widgetKey: null,
            widget: null,
            config: {
              phone_number_id: input.cloudApi.phoneNumberId,
              waba_id: input.cloudApi.wabaId,
              graph_base_url: input.cloudApi.graphBaseUrl,
              messaging_limit: input.cloudApi.messagingLimit === undefined ? defaultMessagingLimit : parseMessagingLimit(input.cloudApi.messagingLimit),
              sealed: {
                access_token: sealer.seal(input.cloudApi.accessToken),
                app_secret: sealer.seal(input.cloudApi.appSecret),
                verify_token: sealer.seal(input.cloudApi.verifyToken),
              },
            },
          }
        : { widgetKey: deps.tokens.issue("wk_").token, widget: { ...defaultWidgetSettings, ...input.widget } };
  // The workspace row is locked while counting, so two inboxes created at once cannot both be the last one allowed.
  const inbox = await store.transaction(async (repositories) => {
    if (!(await repositories.workspaces.lockForUpdate(workspaceId))) throw notFound("workspaces");
    if ((await repositories.inboxes.count(workspaceId)) >= maxInboxesPerWorkspace) {
      throw new DomainError("inboxes.limit_reached", `A workspace can have at most ${maxInboxesPerWorkspace} inboxes.`);
    }
    return repositories.inboxes.create({ ...common, ...settings });
  });
  if (inbox.provider === "whatsapp_web") deps.startSessions?.();
  return inbox;
}

/** The workspace's inboxes. */
export async function listInboxes(deps: InboxDependencies, membership: Membership): Promise<Inbox[]> {
  return deps.store.inboxes.list(membership.workspace.id);
}

/** Throws `inboxes.not_found` (404), also for another workspace's inbox. */
export async function getInbox(deps: InboxDependencies, membership: Membership, id: string): Promise<Inbox> {
  const inbox = await deps.store.inboxes.findById(membership.workspace.id, id);
  if (!inbox) throw notFound("inboxes");
  return inbox;
}

/** What an admin may change of an inbox; `messagingLimit` is taken as sent and checked here. */
export interface InboxUpdate {
  name?: string;
  isPrimary?: boolean;
  messagingLimit?: unknown;
}

/**
 * Renames an inbox, makes it the workspace's primary of its kind, or sets a Cloud API inbox's
 * messaging limit (owners and admins), in one transaction so two inboxes never end up primary
 * together. Nothing changes when any part is refused. Throws `auth.forbidden` (403),
 * `inboxes.not_found` (404, also for another workspace's inbox), `inboxes.invalid_messaging_limit`
 * (422) for a limit other than 250, 2000, 10000, 100000 or "unlimited", `inboxes.wrong_provider`
 * (400) for a messaging limit on an inbox that is not a Cloud API number.
 */
export async function updateInbox(deps: InboxDependencies, membership: Membership, id: string, changes: InboxUpdate): Promise<Inbox> {
  requirePermission(membership, "inboxes.manage");
  const name = changes.name?.trim();
  const messagingLimit = changes.messagingLimit === undefined ? undefined : parseMessagingLimit(changes.messagingLimit);
  const updated = await deps.store.transaction(async (repositories) => {
    if (messagingLimit !== undefined) {
      const current = await repositories.inboxes.findById(membership.workspace.id, id);
      if (!current) return null;
      if (current.provider !== "whatsapp_cloud") {
        throw new DomainError("inboxes.wrong_provider", "Only WhatsApp Cloud API inboxes have a messaging limit.", { field: "messaging_limit" });
      }
    }
    const inbox = await repositories.inboxes.update(membership.workspace.id, id, {
      ...(name === undefined ? {} : { name }),
      ...(changes.isPrimary === undefined ? {} : { isPrimary: changes.isPrimary }),
      ...(messagingLimit === undefined ? {} : { messagingLimit }),
    });
    // A campaign waiting for the daily room looks again now rather than when its wait was due to end.
    if (inbox && messagingLimit !== undefined) await kickInboxCampaigns(repositories, inbox);
    return inbox;
  });
  if (!updated) throw notFound("inboxes");
  return updated;
}

/** Creating and reading inboxes, bound to their dependencies for the routes. */
export function inboxUseCases(deps: InboxDependencies) {
  return {
    templates: (membership: Membership, inboxId: string) => listInboxTemplates(deps, membership, inboxId),
    create: (membership: Membership, input: CreateInboxInput) => createInbox(deps, membership, input),
    list: (membership: Membership) => listInboxes(deps, membership),
    get: (membership: Membership, id: string) => getInbox(deps, membership, id),
    update: (membership: Membership, id: string, changes: InboxUpdate) => updateInbox(deps, membership, id, changes),
  };
}

/** Inboxes a workspace may have (the `max_inboxes` plan column will refine this per plan). */
export const maxInboxesPerWorkspace = 50;
export type InboxUseCases = ReturnType<typeof inboxUseCases>;
