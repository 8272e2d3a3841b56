import type { JobScheduler } from "../domain/jobs.ts";
import type { Repositories, Store } from "../domain/ports.ts";
import type { Database } from "./database.ts";
import { campaignRepository } from "./repositories/campaigns.repository.ts";
import { conversationExportRepository } from "./repositories/conversation-exports.repository.ts";
import { contactRepository } from "./repositories/contacts.repository.ts";
import { conversationRepository } from "./repositories/conversations.repository.ts";
import { knowledgeRepository } from "./repositories/knowledge.repository.ts";
import { contextRepository } from "./repositories/context.repository.ts";
import { suggestionRetrievalRepository } from "./repositories/suggestion-retrieval.repository.ts";
import { aiSettingsRepository } from "./repositories/ai-settings.repository.ts";
import { inboxRepository } from "./repositories/inboxes.repository.ts";
import { mediaRepository } from "./repositories/media.repository.ts";
import { messageRepository } from "./repositories/messages.repository.ts";
import { messageEnrichmentRepository } from "./repositories/message-enrichment.repository.ts";
import { memberRepository, tokenRepository, userRepository, workspaceRepository } from "./repositories/tenancy.repository.ts";
import { webhookDeliveryRepository } from "./repositories/webhook-deliveries.repository.ts";
import { widgetSessionRepository } from "./repositories/widget-sessions.repository.ts";
import { sessionCredentialRepository, sessionLeaseRepository } from "./repositories/whatsapp-sessions.repository.ts";

/** Makes the job scheduler bound to a connection or transaction (src/jobs/ provides it). */
export type JobSchedulerFactory = (db: Database) => JobScheduler;

const noJobs: JobSchedulerFactory = () => ({
  schedule: async (name) => {
    throw new Error(`No job queue is configured, so the job ${name} cannot be scheduled.`);
  },
});

function repositoriesOn(db: Database, jobs: JobSchedulerFactory): Repositories {
  return {
    workspaces: workspaceRepository(db),
    users: userRepository(db),
    members: memberRepository(db),
    tokens: tokenRepository(db),
    inboxes: inboxRepository(db),
    contacts: contactRepository(db),
    conversations: conversationRepository(db),
    messages: messageRepository(db),
    enrichment: messageEnrichmentRepository(db),
    widgetSessions: widgetSessionRepository(db),
    media: mediaRepository(db),
    webhookDeliveries: webhookDeliveryRepository(db),
    sessionLeases: sessionLeaseRepository(db),
    sessionCredentials: sessionCredentialRepository(db),
    conversationExports: conversationExportRepository(db),
    knowledge: knowledgeRepository(db),
    context: contextRepository(db),
    suggestionRetrieval: suggestionRetrievalRepository(db),
    aiSettings: aiSettingsRepository(db),
    campaigns: campaignRepository(db),
    jobs: jobs(db),
  };
}

/** The Store port on a Drizzle database (PGlite or node-postgres). */
export function createStore(db: Database, options: { jobs?: JobSchedulerFactory } = {}): Store {
  const jobs = options.jobs ?? noJobs;
  return {
    ...repositoriesOn(db, jobs),
    transaction: (work) => db.transaction((tx) => work(repositoriesOn(tx as unknown as Database, jobs))),
  };
}
