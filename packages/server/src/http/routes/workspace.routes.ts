import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { CampaignDependencies } from "../../domain/campaigns/campaigns.usecases.ts";
import type { ContactUseCases } from "../../domain/contacts/contacts.usecases.ts";
import type { ConversationUseCases } from "../../domain/conversations/conversations.usecases.ts";
import type { InboxUseCases } from "../../domain/inboxes/inboxes.usecases.ts";
import type { ContextUseCases } from "../../domain/context/context.usecases.ts";
import type { AiSettingsUseCases } from "../../domain/suggestions/ai-settings.usecases.ts";
import type { SuggestionUseCases } from "../../domain/suggestions/suggestions.usecases.ts";
import type { KnowledgeUseCases } from "../../domain/knowledge/knowledge.usecases.ts";
import type { MediaUseCases } from "../../domain/media/media.usecases.ts";
import type { MemberUseCases } from "../../domain/tenancy/members.usecases.ts";
import type { TenancyUseCases } from "../../domain/tenancy/tenancy.usecases.ts";
import type { InboxSessionUseCases } from "../../domain/whatsapp-web/inbox-sessions.usecases.ts";
import { requireWorkspaceMember } from "../authentication.ts";
import { campaignRoutes } from "./campaigns.routes.ts";
import { contactRoutes } from "./contacts.routes.ts";
import { exportRoutes, type StartExport } from "./exports.routes.ts";
import { conversationRoutes } from "./conversations.routes.ts";
import { inboxRoutes } from "./inboxes.routes.ts";
import { inboxSessionRoutes } from "./inbox-sessions.routes.ts";
import { contextRoutes } from "./context.routes.ts";
import { knowledgeRoutes } from "./knowledge.routes.ts";
import { suggestionRoutes } from "./suggestions.routes.ts";
import { memberRoutes } from "./members.routes.ts";
import { memberUploadRoutes } from "./uploads.routes.ts";
import { workspaceSettingsRoutes } from "./workspace-settings.routes.ts";
import type { WorkspaceSettingsUseCases } from "../../domain/tenancy/workspace-settings.usecases.ts";

export interface WorkspaceRouteDependencies {
  tenancy: TenancyUseCases;
  inboxes: InboxUseCases;
  conversations: ConversationUseCases;
  contacts: ContactUseCases;
  members: MemberUseCases;
  media: MediaUseCases;
  inboxSessions: InboxSessionUseCases;
  /** Starts a dataset export (domain/exports). */
  startExport: StartExport;
  knowledge: KnowledgeUseCases;
  context: ContextUseCases;
  suggestions: SuggestionUseCases;
  ai: AiSettingsUseCases;
  /** What the campaign use cases need (domain/campaigns). */
  campaigns: CampaignDependencies;
  /** The workspace's country, time zone and opt-out keywords. */
  workspaceSettings: WorkspaceSettingsUseCases;
  /** PUBLIC_URL, when set: the base of the webhook URLs shown for Cloud API inboxes. */
  publicUrl?: string | undefined;
}

/**
 * Everything under /api/v1/workspaces/:workspace_id: authenticated, and scoped to the caller's
 * membership of that workspace (404 when they have none).
 */
export const workspaceRoutes: FastifyPluginAsyncZod<WorkspaceRouteDependencies> = async (app, dependencies) => {
  requireWorkspaceMember(app, dependencies.tenancy);
  const params = z.object({ workspace_id: z.string() });
  await app.register(inboxRoutes, { params, inboxes: dependencies.inboxes, publicUrl: dependencies.publicUrl });
  await app.register(inboxSessionRoutes, { sessions: dependencies.inboxSessions });
  await app.register(conversationRoutes, { params, conversations: dependencies.conversations });
  await app.register(contactRoutes, { params, contacts: dependencies.contacts });
  await app.register(memberRoutes, { params, tenancy: dependencies.tenancy, members: dependencies.members });
  await app.register(memberUploadRoutes, { params, media: dependencies.media });
  await app.register(exportRoutes, { params, start: dependencies.startExport });
  await app.register(knowledgeRoutes, { params, knowledge: dependencies.knowledge });
  await app.register(contextRoutes, { params, context: dependencies.context });
  await app.register(suggestionRoutes, { params, suggestions: dependencies.suggestions, ai: dependencies.ai });
  await app.register(campaignRoutes, { params, campaigns: dependencies.campaigns });
  await app.register(workspaceSettingsRoutes, { params, settings: dependencies.workspaceSettings });
};
