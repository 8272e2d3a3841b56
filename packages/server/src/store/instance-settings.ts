import { randomBytes, randomInt } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Database } from "./database.ts";
import { instanceSettings } from "./schema/index.ts";

/** Pusher app credentials (Pusher docs: app id, key, secret). */
export interface RealtimeAppCredentials {
  id: string;
  key: string;
  secret: string;
}

const realtimeAppKey = "realtime.app";

/**
 * The instance's Pusher app credentials: generated on first start and stored, so every node
 * and every restart signs and checks with the same secret. Values given in `overrides` (from
 * PUSHER_APP_*) win and are not stored.
 */
export async function loadRealtimeApp(db: Database, overrides: Partial<RealtimeAppCredentials>): Promise<RealtimeAppCredentials> {
  const generated: RealtimeAppCredentials = {
    id: String(randomInt(100_000, 999_999_999)),
    key: randomBytes(10).toString("hex"),
    secret: randomBytes(32).toString("hex"),
  };
  // Two nodes starting at once both insert; ON CONFLICT keeps the first and both read it back.
  await db.insert(instanceSettings).values({ key: realtimeAppKey, value: generated }).onConflictDoNothing();
  const [row] = await db.select().from(instanceSettings).where(eq(instanceSettings.key, realtimeAppKey));
  const stored = row!.value as RealtimeAppCredentials;
  return {
    id: overrides.id || stored.id,
    key: overrides.key || stored.key,
    secret: overrides.secret || stored.secret,
  };
}
