import { v7 } from "uuid";

/**
 * A new UUIDv7 (RFC 9562). Passing `at` makes the id carry that time, so rows imported with a
 * past timestamp still sort by time. Within one process ids made in the same millisecond still
 * increase (the uuid package keeps a counter).
 */
export function newId(at?: Date): string {
  return at ? v7({ msecs: at.getTime() }) : v7();
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical text form. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
