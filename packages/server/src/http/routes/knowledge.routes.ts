import {
  articleRequestSchema,
  articleSchema,
  cannedResponseRequestSchema,
  cannedResponseSchema,
  labelRequestSchema,
  labelSchema,
  labelsAssignmentSchema,
} from "@parley/protocol/api";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { KnowledgeUseCases } from "../../domain/knowledge/knowledge.usecases.ts";
import { presentArticle, presentCannedResponse, presentLabel } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { limitSchema, stripUndefined } from "../schemas.ts";

const workspaceParams = z.object({ workspace_id: z.string() });
const labelsReply = z.object({ labels: z.array(z.string()) });

/** Canned responses, the label catalogue (and labels on conversations and contacts), knowledge-base articles. */
export const knowledgeRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; knowledge: KnowledgeUseCases }> = async (app, { params, knowledge }) => {
  const canned = params.extend({ canned_response_id: z.string() });
  const cannedId = (p: { canned_response_id: string }) => requireUuid(p.canned_response_id, "canned");
  app.get(
    "/canned-responses",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Canned responses by shortcode; `q` matches the shortcode or the content",
        params,
        querystring: z.object({ q: z.string().trim().max(200).optional() }),
        response: { 200: z.object({ data: z.array(cannedResponseSchema) }) },
      },
    },
    async (request) => ({
      data: (await knowledge.listCannedResponses(membershipOf(request), request.query.q ? { q: request.query.q } : {})).map(presentCannedResponse),
    }),
  );
  app.post(
    "/canned-responses",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Create a canned response (agents and up)",
        params,
        body: cannedResponseRequestSchema,
        response: { 201: cannedResponseSchema },
      },
    },
    async (request, reply) => reply.status(201).send(presentCannedResponse(await knowledge.createCannedResponse(membershipOf(request), request.body))),
  );
  app.get(
    "/canned-responses/:canned_response_id",
    { schema: { tags: ["knowledge"], summary: "One canned response", params: canned, response: { 200: cannedResponseSchema } } },
    async (request) => presentCannedResponse(await knowledge.getCannedResponse(membershipOf(request), cannedId(request.params))),
  );
  app.patch(
    "/canned-responses/:canned_response_id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Change a canned response",
        params: canned,
        body: cannedResponseRequestSchema.partial(),
        response: { 200: cannedResponseSchema },
      },
    },
    async (request) =>
      presentCannedResponse(await knowledge.updateCannedResponse(membershipOf(request), cannedId(request.params), stripUndefined(request.body))),
  );
  app.delete(
    "/canned-responses/:canned_response_id",
    { schema: { tags: ["knowledge"], summary: "Delete a canned response", params: canned } },
    async (request, reply) => {
      await knowledge.deleteCannedResponse(membershipOf(request), cannedId(request.params));
      return reply.status(204).send();
    },
  );

  const label = params.extend({ label_id: z.string() });
  const labelId = (p: { label_id: string }) => requireUuid(p.label_id, "labels");
  app.get(
    "/labels",
    { schema: { tags: ["knowledge"], summary: "The label catalogue, by name", params, response: { 200: z.object({ data: z.array(labelSchema) }) } } },
    async (request) => ({ data: (await knowledge.listLabels(membershipOf(request))).map(presentLabel) }),
  );
  app.post(
    "/labels",
    { schema: { tags: ["knowledge"], summary: "Create a label", params, body: labelRequestSchema, response: { 201: labelSchema } } },
    async (request, reply) => reply.status(201).send(presentLabel(await knowledge.createLabel(membershipOf(request), stripUndefined(request.body)))),
  );
  app.patch(
    "/labels/:label_id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Rename or recolour a label (a rename follows on every contact and conversation)",
        params: label,
        body: labelRequestSchema.partial(),
        response: { 200: labelSchema },
      },
    },
    async (request) => presentLabel(await knowledge.updateLabel(membershipOf(request), labelId(request.params), stripUndefined(request.body))),
  );
  app.delete(
    "/labels/:label_id",
    { schema: { tags: ["knowledge"], summary: "Delete a label (and remove it from every contact and conversation)", params: label } },
    async (request, reply) => {
      await knowledge.deleteLabel(membershipOf(request), labelId(request.params));
      return reply.status(204).send();
    },
  );
  app.put(
    "/conversations/:conversation_id/labels",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Replace a conversation's labels (names from the catalogue)",
        params: params.extend({ conversation_id: z.string() }),
        body: labelsAssignmentSchema,
        response: { 200: labelsReply },
      },
    },
    async (request) => ({
      labels: await knowledge.setConversationLabels(membershipOf(request), requireUuid(request.params.conversation_id, "conversations"), request.body.labels),
    }),
  );
  app.put(
    "/contacts/:contact_id/labels",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Replace a contact's labels (names from the catalogue)",
        params: params.extend({ contact_id: z.string() }),
        body: labelsAssignmentSchema,
        response: { 200: labelsReply },
      },
    },
    async (request) => ({
      labels: await knowledge.setContactLabels(membershipOf(request), requireUuid(request.params.contact_id, "contacts"), request.body.labels),
    }),
  );

  const article = params.extend({ article_id: z.string() });
  const articleId = (p: { article_id: string }) => requireUuid(p.article_id, "articles");
  app.get(
    "/articles",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Knowledge-base articles, newest first; `q` searches title and body (best match first)",
        params,
        querystring: z.object({ q: z.string().trim().max(200).optional(), language: z.string().max(8).optional(), limit: limitSchema(100, 50) }),
        response: { 200: z.object({ data: z.array(articleSchema) }) },
      },
    },
    async (request) => {
      const { q, language, limit } = request.query;
      const found = await knowledge.listArticles(membershipOf(request), { limit, ...(q ? { q } : {}), ...(language ? { language } : {}) });
      return { data: found.map(presentArticle) };
    },
  );
  app.post(
    "/articles",
    { schema: { tags: ["knowledge"], summary: "Write an article (agents and up)", params, body: articleRequestSchema, response: { 201: articleSchema } } },
    async (request, reply) => reply.status(201).send(presentArticle(await knowledge.createArticle(membershipOf(request), request.body))),
  );
  app.get(
    "/articles/:article_id",
    { schema: { tags: ["knowledge"], summary: "One article", params: article, response: { 200: articleSchema } } },
    async (request) => presentArticle(await knowledge.getArticle(membershipOf(request), articleId(request.params))),
  );
  app.patch(
    "/articles/:article_id",
    {
      schema: {
        tags: ["knowledge"],
        summary: "Change an article",
        params: article,
        body: articleRequestSchema.partial().extend({
          language: z
            .string()
            .regex(/^[a-z]{2,3}$/)
            .optional(),
        }),
        response: { 200: articleSchema },
      },
    },
    async (request) => presentArticle(await knowledge.updateArticle(membershipOf(request), articleId(request.params), stripUndefined(request.body))),
  );
  app.delete("/articles/:article_id", { schema: { tags: ["knowledge"], summary: "Delete an article", params: article } }, async (request, reply) => {
    await knowledge.deleteArticle(membershipOf(request), articleId(request.params));
    return reply.status(204).send();
  });
};
