/**
 * Contacts as CSV files: `POST /contacts/import` (multipart: a `file` field with the CSV, an
 * optional `label` field added to every row) and `GET /contacts/export.csv` (streamed, the list's
 * filters). The import's columns are read by domain/contacts/contact-import.ts; the export writes
 * the same columns back, so an exported file imports unchanged.
 */
import multipart from "@fastify/multipart";
import { contactImportReportSchema } from "@parley/protocol/api";
import { stringify } from "csv-stringify/sync";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { Readable } from "node:stream";
import type { z } from "zod";
import type { Contact } from "../../domain/contacts/contact.ts";
import { decodeCsv, maxImportBytes, maxImportRows } from "../../domain/contacts/contact-import.ts";
import type { ContactUseCases } from "../../domain/contacts/contacts.usecases.ts";
import { DomainError } from "../../domain/errors.ts";
import { membershipOf } from "../authentication.ts";
import { contactFilterOf, contactFilterQuery } from "./contact-filter.ts";

const invalidUpload = (message: string) => new DomainError("request.invalid", message, { field: "file" });
const tooLarge = () =>
  new DomainError("contacts.import_too_large", `The file is larger than ${maxImportBytes / (1024 * 1024)} MB; split it.`, { field: "file" });

/** The CSV text and the `label` field of an import request. Throws 400 `request.invalid` or 413 `contacts.import_too_large`. */
async function receiveCsv(request: FastifyRequest): Promise<{ csv: string; label?: string }> {
  if (!request.isMultipart()) throw invalidUpload("Send the CSV as multipart/form-data with a file field named file.");
  let csv: string | undefined;
  let label: string | undefined;
  try {
    for await (const part of request.parts({ limits: { fileSize: maxImportBytes, files: 1, fields: 5, fieldSize: 1024 } })) {
      if (part.type === "field") {
        if (part.fieldname === "label" && typeof part.value === "string" && part.value.trim()) label = part.value;
      } else if (part.fieldname === "file") {
        csv = decodeCsv(await part.toBuffer());
      } else {
        part.file.resume();
      }
    }
  } catch (error) {
    if ((error as { code?: string }).code === "FST_REQ_FILE_TOO_LARGE") throw tooLarge();
    request.log.debug({ err: error }, "malformed multipart import");
    throw invalidUpload("The multipart/form-data body is malformed.");
  }
  if (csv === undefined) throw invalidUpload("The multipart/form-data body holds no file: send the CSV in a file field named file.");
  return { csv, ...(label ? { label } : {}) };
}

/** A spreadsheet runs a cell starting with = + - @ as a formula (CSV injection): such text is quoted with '. */
function cellText(value: string | null): string {
  if (!value) return "";
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The export's rows: fixed columns, then one per custom attribute name. */
function csvRows(contacts: Contact[], attributeNames: string[]): string[][] {
  return contacts.map((contact) => [
    contact.phone ?? "",
    cellText(contact.name),
    cellText(contact.email),
    cellText(contact.labels.join(";")),
    contact.optedOutAt ? "true" : "",
    contact.optOutSource ?? "",
    contact.optedOutAt?.toISOString() ?? "",
    contact.createdAt.toISOString(),
    ...attributeNames.map((name) => cellText(contact.customAttributes[name] ?? null)),
  ]);
}

const fixedColumns = ["phone", "name", "email", "labels", "opted_out", "opt_out_source", "opted_out_at", "created_at"];

// Socket writes are awaited past this many buffered bytes, so a slow download slows the reads.
const streamHighWaterMark = 64 * 1024;

export const contactFileRoutes: FastifyPluginAsyncZod<{ params: z.ZodObject<{ workspace_id: z.ZodString }>; contacts: ContactUseCases }> = async (
  app,
  { params, contacts },
) => {
  await app.register(multipart);

  app.post(
    "/contacts/import",
    {
      schema: {
        tags: ["contacts"],
        summary: `Import contacts from a CSV (agents and up; multipart field file, at most ${maxImportBytes / (1024 * 1024)} MB and ${maxImportRows} rows)`,
        description:
          "Columns: phone (required; any local format, read against the workspace's country), name, email, labels (separated by ; or |), opted_out " +
          "(true/yes/1), and any other column as a custom attribute. The optional form field label is added to every row. In one transaction: " +
          "a file that does not parse, has no phone column or too many rows answers 422 and imports nothing.",
        consumes: ["multipart/form-data"],
        params,
        response: { 200: contactImportReportSchema },
      },
    },
    async (request, reply) => {
      let received: Awaited<ReturnType<typeof receiveCsv>>;
      try {
        received = await receiveCsv(request);
      } catch (error) {
        // The rest of a refused body may still be on its way: close rather than read it.
        reply.header("connection", "close");
        throw error;
      }
      return contacts.import(membershipOf(request), received.csv, received.label);
    },
  );

  app.get(
    "/contacts/export.csv",
    {
      schema: {
        tags: ["contacts"],
        summary: "The contacts as CSV (the list's filters), streamed; it imports back unchanged (owners and admins)",
        params,
        querystring: contactFilterQuery,
      },
    },
    async (request, reply) => {
      const { attributeNames, pages } = await contacts.export(membershipOf(request), contactFilterOf(request.query));
      async function* lines(): AsyncGenerator<string> {
        yield stringify([[...fixedColumns, ...attributeNames]], { bom: true });
        for await (const page of pages) yield stringify(csvRows(page, attributeNames));
      }
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", 'attachment; filename="contacts.csv"')
        .header("cache-control", "no-store")
        .send(Readable.from(lines(), { objectMode: false, highWaterMark: streamHighWaterMark }));
    },
  );
};
