import { v7 } from "uuid";

/** Recent `at` times given to `newId` and the last counter used for each (RFC 9562's method 1). */
const counters = new Map<number, number>();
/** Seconds remembered: a message's time is the provider's, so others arrive for the last few of them. */
const rememberedTimes = 4096;

/**
 * A new UUIDv7 (RFC 9562). Passing `at` makes the id carry that time, so rows imported with a
 * past timestamp still sort by time. Ids made in this process for the same `at` always increase,
 * even with ids for other times made in between: WhatsApp stamps messages by the second, and two
 * messages of one second must keep the order they came in (the thread's order, and which one is
 * the "latest" a read receipt names). Without `at`, the uuid package's own counter orders them.
 */
export function newId(at?: Date): string {
  if (!at) return v7();
  const msecs = at.getTime();
  const last = counters.get(msecs);
  // A random start with room to count up, as the uuid package does.
  const seq = last !== undefined && last < 0x7fffffff ? last + 1 : crypto.getRandomValues(new Uint32Array(1))[0]! >>> 2;
  counters.delete(msecs);
  counters.set(msecs, seq);
  if (counters.size > rememberedTimes) counters.delete(counters.keys().next().value!);
  return v7({ msecs, seq });
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a UUID in canonical text form. */
export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}
