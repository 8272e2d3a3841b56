-- campaign_counts (0015) is kept by statement triggers whose function built its INSERT as text
-- and ran it with EXECUTE, so every statement on campaign_recipients parsed and planned it again:
-- measured on PGlite, 0.86 ms per statement against 0.24 ms for a statement PL/pgSQL plans once
-- per connection. The triggers now hand their changed rows as an array to campaign_counts_add,
-- whose INSERT is planned once per connection. What is counted is unchanged (see 0015).
CREATE TYPE "campaign_count_change" AS ("sign" integer, "campaign_id" uuid, "status" text, "replied_at" timestamp with time zone, "opted_out_at" timestamp with time zone, "reason" text);
--> statement-breakpoint
-- Adds to campaign_counts each change's sign (+1 counts a row in, -1 out) in the buckets its
-- columns fall in. Campaigns whose difference is nothing (a claim, a provider id) are not
-- written; a campaign that no longer exists (deleted with its recipients) gets no row.
CREATE FUNCTION "campaign_counts_add"("changes" "campaign_count_change"[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "campaign_counts" AS c ("campaign_id", "total", "pending", "sent", "delivered", "read", "replied", "failed", "skipped", "opted_out")
  SELECT * FROM (
    SELECT "changed"."campaign_id", sum("sign") AS "total",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'pending'), 0) AS "pending",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'sent'), 0) AS "sent",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'delivered'), 0) AS "delivered",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'read'), 0) AS "read",
      coalesce(sum("sign") FILTER (WHERE "changed"."replied_at" IS NOT NULL), 0) AS "replied",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'failed'), 0) AS "failed",
      coalesce(sum("sign") FILTER (WHERE "changed"."status" = 'skipped'), 0) AS "skipped",
      coalesce(sum("sign") FILTER (WHERE "changed"."opted_out_at" IS NOT NULL OR "changed"."reason" = 'opted_out'), 0) AS "opted_out"
    FROM unnest("changes") AS "changed"
    GROUP BY "changed"."campaign_id"
  ) AS d
  WHERE (d."total", d."pending", d."sent", d."delivered", d."read", d."replied", d."failed", d."skipped", d."opted_out") <> (0, 0, 0, 0, 0, 0, 0, 0, 0)
    AND EXISTS (SELECT 1 FROM "campaigns" WHERE "campaigns"."id" = d."campaign_id")
  -- Campaign order: two transactions adding to the same campaigns lock their rows alike.
  ORDER BY d."campaign_id"
  ON CONFLICT ("campaign_id") DO UPDATE SET
    "total" = c."total" + excluded."total",
    "pending" = c."pending" + excluded."pending",
    "sent" = c."sent" + excluded."sent",
    "delivered" = c."delivered" + excluded."delivered",
    "read" = c."read" + excluded."read",
    "replied" = c."replied" + excluded."replied",
    "failed" = c."failed" + excluded."failed",
    "skipped" = c."skipped" + excluded."skipped",
    "opted_out" = c."opted_out" + excluded."opted_out";
END;
$$;
--> statement-breakpoint
-- Each statement on campaign_recipients adds its difference: new rows in, old rows out. The
-- transition tables are read here, where they are visible, with statements planned once.
CREATE OR REPLACE FUNCTION "campaign_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "campaign_counts_add"(ARRAY(
      SELECT ROW(1, "campaign_id", "status", "replied_at", "opted_out_at", "reason")::"campaign_count_change" FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM "campaign_counts_add"(ARRAY(
      SELECT ROW(1, "campaign_id", "status", "replied_at", "opted_out_at", "reason")::"campaign_count_change" FROM new_rows
      UNION ALL
      SELECT ROW(-1, "campaign_id", "status", "replied_at", "opted_out_at", "reason")::"campaign_count_change" FROM old_rows));
  ELSE
    PERFORM "campaign_counts_add"(ARRAY(
      SELECT ROW(-1, "campaign_id", "status", "replied_at", "opted_out_at", "reason")::"campaign_count_change" FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP FUNCTION "campaign_counts_add_sql"(text);
