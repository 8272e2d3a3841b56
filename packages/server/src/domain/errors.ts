import type { ErrorCode, NotFoundResource } from "@parley/protocol/api";

export type { ErrorCode };

/**
 * A rule of the domain was broken. `code` is one of the stable, namespaced codes of the wire
 * contract (`ErrorCode` in @parley/protocol, e.g. "conversations.not_found"); the HTTP layer maps
 * codes to statuses in one table (http/error-statuses.ts). Domain code never knows about HTTP.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, when there is one (e.g. "body"). */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string } = {}) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.field = options.field;
  }
}

/** Shorthand for the "not found" family: `${resource}.not_found`. */
export function notFound(resource: NotFoundResource, what: string = resource.replace(/s$/, "")): DomainError {
  return new DomainError(`${resource}.not_found`, `No such ${what}.`);
}
