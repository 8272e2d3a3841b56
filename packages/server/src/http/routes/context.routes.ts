import { type ApiConversationContext, conversationContextSchema } from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ConversationContext, ContextUseCases } from "../../domain/context/context.usecases.ts";
import { membershipOf, requireUuid } from "../authentication.ts";

const workspaceParams = z.object({ workspace_id: z.string() });
const iso = (date: Date | null) => (date ? date.toISOString() : null);

function presentContext(context: ConversationContext): ApiConversationContext {
  const { conversation, customer, business } = context;
  return {
    conversation: {
      message_count: conversation.messageCount,
      inbound_count: conversation.inboundCount,
      outbound_count: conversation.outboundCount,
      first_message_at: iso(conversation.firstMessageAt),
      last_message_at: iso(conversation.lastMessageAt),
      first_response_seconds: conversation.firstResponseSeconds,
      average_response_seconds: conversation.averageResponseSeconds,
      waiting_since: iso(conversation.waitingSince),
    },
    customer: {
      name: customer.name,
      phone: customer.phone,
      first_contact_at: iso(customer.firstContactAt),
      interaction_count: customer.interactionCount,
      sentiment_trend: customer.sentimentTrend.map((point) => ({ at: point.at.toISOString(), score: point.score })),
    },
    business: { inbox: business.inbox, assignee: business.assignee, labels: business.labels, custom_attributes: business.customAttributes },
  };
}

/** The context panel of a conversation. */
export const contextRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; context: ContextUseCases }> = async (app, { params, context }) => {
  app.get(
    "/conversations/:conversation_id/context",
    {
      schema: {
        tags: ["conversations"],
        summary: "The conversation's figures (counts, response times, waiting since), the customer and the business side",
        params: params.extend({ conversation_id: z.string() }),
        response: { 200: conversationContextSchema },
      },
    },
    async (request) => presentContext(await context.get(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"))),
  );
};
