import { Readable } from "node:stream";
import {
  audiencePreviewSchema,
  campaignAudienceSchema,
  campaignMessageSchema,
  campaignPacingSchema,
  campaignRecipientSchema,
  campaignRequestSchema,
  campaignSchema,
} from "@parley/protocol/api";
import { campaignRecipientStatuses } from "@parley/protocol/values";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { CampaignDependencies, CampaignDraft } from "../../domain/campaigns/campaigns.usecases.ts";
import {
  commandCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  exportRecipients,
  listRecipients,
  updateCampaign,
} from "../../domain/campaigns/campaigns.usecases.ts";
import type { CampaignChanges } from "../../domain/campaigns/campaigns.port.ts";
import { previewAudience, previewMessage } from "../../domain/campaigns/previews.ts";
import type { CampaignCommand } from "../../domain/campaigns/transitions.ts";
import { DomainError } from "../../domain/errors.ts";
import { isUuid } from "../../domain/ids.ts";
import { presentCampaign, presentCampaignRecipient } from "../../presenters.ts";
import { membershipOf, requireUuid } from "../authentication.ts";
import { limitSchema, stripUndefined, uuidSchema } from "../schemas.ts";
import { recipientsCsv } from "./campaign-recipients-csv.ts";

const workspaceParams = z.object({ workspace_id: z.string() });

const commands: Record<string, CampaignCommand> = { start: "start", pause: "pause", resume: "resume", cancel: "cancel", "retry-failed": "retry_failed" };

const isoDate = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));

/**
 * Campaigns (issue 10, "Contract"): owners and admins manage, every member reads. Another
 * workspace's campaign or inbox answers 404; a message that does not suit the inbox 422.
 */
export const campaignRoutes: FastifyPluginAsyncZod<{ params: typeof workspaceParams; campaigns: CampaignDependencies }> = async (
  app,
  { params, campaigns: deps },
) => {
  const one = params.extend({ campaign_id: z.string() });
  const campaignId = (p: { campaign_id: string }) => requireUuid(p.campaign_id, "campaigns");
  const inboxId = (id: string) => {
    if (!isUuid(id)) throw new DomainError("inboxes.not_found", "No such inbox.", { field: "inbox_id" });
    return id;
  };

  app.post(
    "/campaigns",
    {
      schema: {
        tags: ["campaigns"],
        summary: "Create a draft campaign (owners, admins)",
        params,
        body: campaignRequestSchema,
        response: { 201: campaignSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const draft: CampaignDraft = {
        name: body.name,
        inboxId: inboxId(body.inbox_id),
        message: stripUndefined(body.message),
        audience: stripUndefined(body.audience),
        scheduleAt: isoDate(body.schedule_at) ?? null,
        pacing: stripUndefined(body.pacing ?? {}),
      };
      return reply.status(201).send(presentCampaign(await createCampaign(deps, membershipOf(request), draft)));
    },
  );

  app.get(
    "/campaigns",
    {
      schema: {
        tags: ["campaigns"],
        summary: "Campaigns, newest first, with their counts",
        params,
        querystring: z.object({ limit: limitSchema(100, 50), cursor: uuidSchema.optional() }),
        response: { 200: z.object({ data: z.array(campaignSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const views = await listCampaigns(deps, membershipOf(request), { limit, ...(cursor ? { beforeId: cursor } : {}) });
      return { data: views.map(presentCampaign), next_cursor: views.length === limit ? views[views.length - 1]!.campaign.id : null };
    },
  );

  app.post(
    "/campaigns/audience-preview",
    {
      schema: {
        tags: ["campaigns"],
        summary: "How many contacts of an audience a campaign would reach now, and who is skipped and why",
        params,
        body: z.object({
          inbox_id: z.string(),
          audience: campaignAudienceSchema,
          message: campaignMessageSchema.optional(),
          pacing: campaignPacingSchema.optional(),
        }),
        response: { 200: audiencePreviewSchema },
      },
    },
    async (request) => {
      const { inbox_id, audience, message, pacing } = request.body;
      return previewAudience(deps, membershipOf(request), {
        inboxId: inboxId(inbox_id),
        audience: stripUndefined(audience),
        ...(message ? { message: stripUndefined(message) } : {}),
        ...(pacing ? { pacing: stripUndefined(pacing) } : {}),
      });
    },
  );

  app.post(
    "/campaigns/preview",
    {
      schema: {
        tags: ["campaigns"],
        summary: "The message one contact would receive (from the saved campaign `campaign_id`, when given: its text variation is theirs)",
        params,
        body: z.object({ inbox_id: z.string(), message: campaignMessageSchema, contact_id: z.string(), campaign_id: z.string().optional() }),
        response: {
          200: z.object({ text: z.string(), template: z.object({ name: z.string(), language: z.string(), variables: z.array(z.string()) }).nullable() }),
        },
      },
    },
    async (request) => {
      const { inbox_id, message, contact_id, campaign_id } = request.body;
      return previewMessage(deps, membershipOf(request), {
        inboxId: inboxId(inbox_id),
        message: stripUndefined(message),
        contactId: requireUuid(contact_id, "contacts"),
        ...(campaign_id === undefined ? {} : { campaignId: requireUuid(campaign_id, "campaigns") }),
      });
    },
  );

  app.get(
    "/campaigns/:campaign_id",
    { schema: { tags: ["campaigns"], summary: "One campaign with its counts", params: one, response: { 200: campaignSchema } } },
    async (request) => presentCampaign(await getCampaign(deps, membershipOf(request), campaignId(request.params))),
  );

  app.patch(
    "/campaigns/:campaign_id",
    {
      schema: {
        tags: ["campaigns"],
        summary: "Edit a draft or scheduled campaign (owners, admins)",
        params: one,
        body: campaignRequestSchema.partial(),
        response: { 200: campaignSchema },
      },
    },
    async (request) => {
      const body = request.body;
      const changes: CampaignChanges = stripUndefined({
        name: body.name,
        inboxId: body.inbox_id === undefined ? undefined : inboxId(body.inbox_id),
        message: body.message ? stripUndefined(body.message) : undefined,
        audience: body.audience ? stripUndefined(body.audience) : undefined,
        pacing: body.pacing ? stripUndefined(body.pacing) : undefined,
        scheduleAt: isoDate(body.schedule_at),
      });
      return presentCampaign(await updateCampaign(deps, membershipOf(request), campaignId(request.params), changes));
    },
  );

  app.delete(
    "/campaigns/:campaign_id",
    { schema: { tags: ["campaigns"], summary: "Delete a draft (owners, admins)", params: one } },
    async (request, reply) => {
      await deleteCampaign(deps, membershipOf(request), campaignId(request.params));
      return reply.status(204).send();
    },
  );

  app.post(
    "/campaigns/:campaign_id/:command",
    {
      schema: {
        tags: ["campaigns"],
        summary: "start | pause | resume | cancel | retry-failed (owners, admins)",
        params: one.extend({ command: z.enum(["start", "pause", "resume", "cancel", "retry-failed"]) }),
        response: { 200: campaignSchema },
      },
    },
    async (request) => presentCampaign(await commandCampaign(deps, membershipOf(request), campaignId(request.params), commands[request.params.command]!)),
  );

  app.get(
    "/campaigns/:campaign_id/recipients",
    {
      schema: {
        tags: ["campaigns"],
        summary: "A campaign's recipients by id, optionally of one status",
        params: one,
        querystring: z.object({ status: z.enum(campaignRecipientStatuses).optional(), cursor: z.string().optional(), limit: limitSchema(500, 100) }),
        response: { 200: z.object({ data: z.array(campaignRecipientSchema), next_cursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const { status, cursor, limit } = request.query;
      if (cursor !== undefined && !isUuid(cursor))
        throw new DomainError("request.invalid_cursor", "The cursor is not one this API gave out.", { field: "cursor" });
      const rows = await listRecipients(deps, membershipOf(request), campaignId(request.params), {
        limit,
        ...(status ? { status } : {}),
        ...(cursor ? { afterId: cursor } : {}),
      });
      return { data: rows.map(presentCampaignRecipient), next_cursor: rows.length === limit ? rows[rows.length - 1]!.id : null };
    },
  );

  app.get(
    "/campaigns/:campaign_id/recipients.csv",
    { schema: { tags: ["campaigns"], summary: "Every recipient as CSV (streamed page by page; owners and admins)", params: one } },
    async (request, reply) => {
      const id = campaignId(request.params);
      const { first, after: pages } = await exportRecipients(deps, membershipOf(request), id);
      return reply
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="campaign-${id}-recipients.csv"`)
        .send(Readable.from(recipientsCsv(first, pages)));
    },
  );
};
