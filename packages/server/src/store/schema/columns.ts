import { timestamp, uuid } from "drizzle-orm/pg-core";

/** Primary key column: a UUID made by the application (v7, time-ordered; see ids.ts). */
export const idColumn = () => uuid("id").primaryKey();

/** `created_at` / `updated_at` as timestamptz, set by the database on insert. */
export const timestamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** A nullable timestamptz column. */
export const optionalTimestamp = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
