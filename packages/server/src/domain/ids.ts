import { v7 } from "uuid";

/** The last `at` time given to `newId` and its counter (RFC 9562's method 1, as the uuid package keeps for now). */
const past = { msecs: Number.NaN, seq: 0 };

/**
 * A new UUIDv7 (RFC 9562). Passing `at` makes the id carry that time, so rows imported with a
 * past timestamp still sort by time. Within one process ids made in the same millisecond still
 * increase (the uuid package keeps a counter for now; this one for consecutive calls with the
 * same `at`, so messages of one second, as WhatsApp stamps them, keep the order they came in).
 */
export function newId(at?: Date): string {
  if (!at) return v7();
  const msecs = at.getTime();
  if (msecs === past.msecs && past.seq < 0x7fffffff) past.seq += 1;
  else {
    past.msecs = msecs;
    // A random start with room to count up, as the uuid package does.
    past.seq = crypto.getRandomValues(new Uint32Array(1))[0]! >>> 2;
  }
  return v7({ msecs, seq: past.seq });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical text form. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
