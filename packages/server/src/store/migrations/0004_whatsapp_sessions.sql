CREATE TABLE "whatsapp_session_credentials" (
	"inbox_id" uuid NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "whatsapp_session_credentials_inbox_id_key_pk" PRIMARY KEY("inbox_id","key")
);
--> statement-breakpoint
CREATE TABLE "whatsapp_session_leases" (
	"inbox_id" uuid PRIMARY KEY NOT NULL,
	"owner_node" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"renewed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "whatsapp_session_credentials" ADD CONSTRAINT "whatsapp_session_credentials_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_session_leases" ADD CONSTRAINT "whatsapp_session_leases_inbox_id_inboxes_id_fk" FOREIGN KEY ("inbox_id") REFERENCES "public"."inboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whatsapp_session_leases_owner_idx" ON "whatsapp_session_leases" USING btree ("owner_node");