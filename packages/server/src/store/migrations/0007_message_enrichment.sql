ALTER TABLE "messages" ADD COLUMN "enrichment" jsonb;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "enrichment_correction" jsonb;