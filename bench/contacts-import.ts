/**
 * The contacts CSV import (issue 10, part 1): `rows` messy Indonesian numbers (spaces, dashes,
 * dots, brackets, leading 0, 62, +62, 0062), every tenth row a repeat and every fiftieth invalid,
 * imported through the use case the route calls, into an empty workspace and then again (every
 * row an update). Reports seconds and rows/s for both, and the parse (CSV + libphonenumber-js)
 * share of the first. Goal: 10,000 rows in a few seconds (under 5 s).
 */
import { sql } from "drizzle-orm";
import { readContactsCsv } from "../packages/server/src/domain/contacts/contact-import.ts";
import { importContacts } from "../packages/server/src/domain/contacts/contacts.usecases.ts";
import { newId } from "../packages/server/src/domain/ids.ts";
import type { Membership } from "../packages/server/src/domain/tenancy/tenancy.ts";
import { openDatabase } from "../packages/server/src/store/database.ts";
import { createStore } from "../packages/server/src/store/store.ts";

export interface ContactsImportBenchResult {
  engine: "pglite" | "postgres";
  rows: number;
  created: number;
  updated: number;
  duplicates: number;
  invalid: number;
  parse_seconds: number;
  first_import_seconds: number;
  first_import_rows_per_second: number;
  second_import_seconds: number;
  goal_seconds_for_10000: number;
}

/** Ways people write the same Indonesian mobile number, cycled through the file. */
const formats: Array<(subscriber: string) => string> = [
  (s) => `0812 ${s.slice(0, 4)} ${s.slice(4)}`,
  (s) => `0812-${s.slice(0, 4)}-${s.slice(4)}`,
  (s) => `+62 812.${s.slice(0, 4)}.${s.slice(4)}`,
  (s) => `62 (812) ${s}`,
  (s) => `0062 812 ${s}`,
];

/** A CSV of `rows` rows with name, labels and a city column. */
export function messyCsv(rows: number): string {
  const lines = ["phone,name,labels,city"];
  for (let index = 0; index < rows; index++) {
    if (index % 50 === 49) {
      lines.push(`12${index},Broken ${index},,Jakarta`);
      continue;
    }
    // Every tenth row repeats the previous row's number in another format.
    const number = index % 10 === 9 ? index - 1 : index;
    const subscriber = String(10_000_000 + number);
    lines.push(`${formats[index % formats.length]!(subscriber)},Pelanggan ${index},Expo;VIP,Bandung`);
  }
  return lines.join("\n");
}

const round = (value: number) => Math.round(value * 100) / 100;

export async function measureContactsImport(options: { databaseUrl?: string | undefined; rows: number }): Promise<ContactsImportBenchResult> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: "memory://" });
  try {
    await database.migrate();
    const store = createStore(database.db);
    const workspaceId = newId();
    await database.db.execute(sql`insert into workspaces (id, name, slug) values (${workspaceId}, 'Toko Bench', ${`bench-${workspaceId}`})`);
    const membership = {
      workspace: { id: workspaceId, name: "Toko Bench", slug: "bench", status: "active", createdAt: new Date() },
      user: { id: newId(), name: "Bench", email: "bench@example.com", createdAt: new Date() },
      role: "owner",
    } satisfies Membership;
    const deps = { store, events: { publish: async () => {} }, clock: { now: () => new Date() } };
    const csv = messyCsv(options.rows);

    const parseStarted = performance.now();
    readContactsCsv(csv, "ID");
    const parseSeconds = (performance.now() - parseStarted) / 1000;
    const firstStarted = performance.now();
    const first = await importContacts(deps, membership, csv);
    const firstSeconds = (performance.now() - firstStarted) / 1000;
    const secondStarted = performance.now();
    await importContacts(deps, membership, csv);
    const secondSeconds = (performance.now() - secondStarted) / 1000;
    return {
      engine: database.engine,
      rows: options.rows,
      created: first.created,
      updated: first.updated,
      duplicates: first.duplicates,
      invalid: first.invalid.length,
      parse_seconds: round(parseSeconds),
      first_import_seconds: round(firstSeconds),
      first_import_rows_per_second: Math.round(options.rows / firstSeconds),
      second_import_seconds: round(secondSeconds),
      goal_seconds_for_10000: 5,
    };
  } finally {
    await database.close();
  }
}
