ALTER TABLE "inboxes" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "qr" jsonb;