/**
 * Helpers of the campaign tests: contacts seeded straight into a running Parley's database (the
 * contacts import is another part of issue 10), campaigns driven through the API.
 */
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { newId } from "../src/domain/ids.ts";
import type { Database } from "../src/store/database.ts";
import { createStore } from "../src/store/store.ts";
import { eventually } from "./eventually.ts";
import { type ApiClient, workspacePath } from "./parley.ts";

/** `count` Indonesian mobile numbers from `start`, E.164. */
export function phones(count: number, start = 0, prefix = "+62812"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(start + i).padStart(7, "0")}`);
}

/** Creates contacts with these phones in the workspace, labelled `label`; returns their ids by phone. */
export async function seedContacts(db: Database, workspaceId: string, numbers: string[], label: string): Promise<Map<string, string>> {
  const store = createStore(db);
  const ids = new Map<string, string>();
  for (let i = 0; i < numbers.length; i += 2000) {
    const chunk = numbers.slice(i, i + 2000);
    const contacts = await store.contacts.upsertManyByPhone(
      workspaceId,
      chunk.map((phone, j) => ({ id: newId(), phone, candidates: [phone], name: `Customer ${i + j}` })),
    );
    for (const [phone, contact] of contacts) ids.set(phone, contact.id);
  }
  await db.execute(
    sql`update contacts set labels = ${JSON.stringify([label])}::jsonb where workspace_id = ${workspaceId} and phone = any(${sql.param(numbers)}::text[])`,
  );
  return ids;
}

/** A campaign client for one workspace. */
export function campaignsOf(api: ApiClient, workspaceId: string, token: string) {
  const base = `${workspacePath(workspaceId)}/campaigns`;
  return {
    create: (body: unknown) => api.post(base, body, token),
    get: (id: string) => api.get(`${base}/${id}`, token),
    command: (id: string, command: string) => api.post(`${base}/${id}/${command}`, {}, token),
    recipients: (id: string, query = "") => api.get(`${base}/${id}/recipients${query}`, token),
    async createStarted(body: unknown): Promise<string> {
      const created = await api.post(base, body, token);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const started = await api.post(`${base}/${created.body.id}/start`, {}, token);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      return created.body.id as string;
    },
    /** Waits until the campaign reaches `status` (default: completed) and returns it. */
    until(id: string, check: (campaign: any) => boolean, timeoutMs = 60_000, what = "the campaign") {
      return eventually(
        async () => {
          const { body } = await api.get(`${base}/${id}`, token);
          return check(body) ? body : undefined;
        },
        { timeoutMs, intervalMs: 100, what },
      );
    },
  };
}

/** The most arrivals in any one-second window of these times (ms). */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
