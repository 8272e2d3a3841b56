CREATE TABLE "campaign_daily_reach" (
	"inbox_id" uuid PRIMARY KEY NOT NULL,
	"contacts" integer DEFAULT 0 NOT NULL,
	"claims" integer DEFAULT 0 NOT NULL,
	"counted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "campaign_daily_reach" ADD CONSTRAINT "campaign_daily_reach_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;