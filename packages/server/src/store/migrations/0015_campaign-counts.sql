CREATE TABLE "campaign_counts" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"delivered" integer DEFAULT 0 NOT NULL,
	"read" integer DEFAULT 0 NOT NULL,
	"replied" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"skipped" integer DEFAULT 0 NOT NULL,
	"opted_out" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_counts" ADD CONSTRAINT "campaign_counts_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The statement that adds to campaign_counts (schema/campaigns.ts) the recipient rows `source` selects, each with a
-- sign (+1 counts it in, -1 out) and the columns its buckets depend on:
-- (campaign_id, sign, status, replied_at, opted_out_at, reason). Campaigns whose difference is
-- nothing (a claim, a provider id) are not written. A campaign that no longer exists (deleted with
-- its recipients by ON DELETE CASCADE) gets no row.
-- Run by EXECUTE in the trigger function itself: only it sees the transition tables.
CREATE FUNCTION "campaign_counts_add_sql"("source" text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($sql$
    INSERT INTO "campaign_counts" AS c ("campaign_id", "total", "pending", "sent", "delivered", "read", "replied", "failed", "skipped", "opted_out")
    SELECT * FROM (
      SELECT "campaign_id", sum("sign") AS "total",
        coalesce(sum("sign") FILTER (WHERE "status" = 'pending'), 0) AS "pending",
        coalesce(sum("sign") FILTER (WHERE "status" = 'sent'), 0) AS "sent",
        coalesce(sum("sign") FILTER (WHERE "status" = 'delivered'), 0) AS "delivered",
        coalesce(sum("sign") FILTER (WHERE "status" = 'read'), 0) AS "read",
        coalesce(sum("sign") FILTER (WHERE "replied_at" IS NOT NULL), 0) AS "replied",
        coalesce(sum("sign") FILTER (WHERE "status" = 'failed'), 0) AS "failed",
        coalesce(sum("sign") FILTER (WHERE "status" = 'skipped'), 0) AS "skipped",
        coalesce(sum("sign") FILTER (WHERE "opted_out_at" IS NOT NULL OR "reason" = 'opted_out'), 0) AS "opted_out"
      FROM (%s) AS "changed"
      GROUP BY "campaign_id"
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
      "opted_out" = c."opted_out" + excluded."opted_out"
  $sql$, "source");
$$;
--> statement-breakpoint
-- Each statement on campaign_recipients adds its difference: new rows in, old rows out.
CREATE FUNCTION "campaign_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  "columns" text := '"campaign_id", "status", "replied_at", "opted_out_at", "reason"';
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE "campaign_counts_add_sql"(format('SELECT 1 AS "sign", %s FROM new_rows', "columns"));
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE "campaign_counts_add_sql"(format('SELECT 1 AS "sign", %1$s FROM new_rows UNION ALL SELECT -1, %1$s FROM old_rows', "columns"));
  ELSE
    EXECUTE "campaign_counts_add_sql"(format('SELECT -1 AS "sign", %s FROM old_rows', "columns"));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$ BEGIN
  EXECUTE "campaign_counts_add_sql"('SELECT 1 AS "sign", "campaign_id", "status", "replied_at", "opted_out_at", "reason" FROM "campaign_recipients"');
END $$;
--> statement-breakpoint
CREATE TRIGGER "campaign_counts_after_insert" AFTER INSERT ON "campaign_recipients"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "campaign_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "campaign_counts_after_update" AFTER UPDATE ON "campaign_recipients"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "campaign_counts_apply"();
--> statement-breakpoint
CREATE TRIGGER "campaign_counts_after_delete" AFTER DELETE ON "campaign_recipients"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "campaign_counts_apply"();
