import type { ErrorBody, ErrorCode } from "@parley/protocol/api";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { DomainError } from "../domain/errors.ts";
import { isDatabaseUnavailable } from "../store/database-unavailable.ts";
import { localizedErrorMessage, negotiateLocale } from "./error-messages.ts";
import { httpStatusOf } from "./error-statuses.ts";

export type { ErrorBody };

/**
 * Sends an error in Parley's shape, its `message` in the caller's language (error-messages.ts:
 * `Accept-Language`, else the signed-in user's locale). `detail` (English, e.g. a validation
 * failure's field and reason) is kept after the translated line.
 */
export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string, field?: string, detail?: string): FastifyReply {
  const locale = negotiateLocale(reply.request.headers["accept-language"], reply.request.principal?.user.locale);
  const body: ErrorBody = { error: { code, message: localizedErrorMessage(code, message, locale, detail), ...(field ? { field } : {}) } };
  return reply.status(status).send(body);
}

/** Fastify's own error codes that are the client's fault, with the code we answer (its status from error-statuses.ts). */
const fastifyClientErrors: Record<string, { code: ErrorCode; message?: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: "request.malformed_json", message: "The request body is not valid JSON." },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: "request.empty_body", message: "The request body is empty." },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: "request.too_large", message: "The request body is too large." },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: "request.unsupported_media_type", message: "Send JSON (application/json)." },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: "request.invalid_content_length" },
  FST_ERR_VALIDATION: { code: "request.invalid" },
};

/** Seconds a client is told to wait (Retry-After) when the database is unreachable. */
const unavailableRetryAfterSeconds = 5;

/**
 * Installs the error handler and the 404 handler. Domain errors map through error-statuses.ts;
 * schema failures name the failing field; malformed JSON is a 400, never a 500; an unreachable
 * database is a 503 `service.unavailable` with Retry-After (store/database-unavailable.ts);
 * unexpected errors are logged and answered 500 without internals.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof DomainError) return sendError(reply, httpStatusOf(error.code), error.code, error.message, error.field);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const first = error.validation[0]!;
      const path = first.instancePath.replace(/^\//, "").replace(/\//g, ".");
      const field = path || (first.params as { issue?: { path?: unknown[] } })?.issue?.path?.join(".") || error.validationContext || "request";
      const detail = `${field}: ${first.message}`;
      return sendError(reply, 400, "request.invalid", detail, field, detail);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, "response did not match its schema");
      return sendError(reply, 500, "internal", "Something went wrong on our side.");
    }
    const known = error.code ? fastifyClientErrors[error.code] : undefined;
    if (known) return sendError(reply, httpStatusOf(known.code), known.code, known.message ?? error.message);
    if (error.statusCode === 429) {
      return sendError(reply, 429, "request.rate_limited", error.message || "Too many requests; retry later.");
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, error.statusCode, "request.invalid", error.message);
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, "database unreachable; answered 503");
      reply.header("retry-after", String(unavailableRetryAfterSeconds));
      return sendError(reply, 503, "service.unavailable", `The service is briefly unavailable; retry in ${unavailableRetryAfterSeconds} s.`);
    }
    request.log.error({ err: error }, "unhandled error");
    return sendError(reply, 500, "internal", "Something went wrong on our side.");
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, 404, "route.not_found", `No route for ${request.method} ${request.url.split("?")[0]}.`));
}
