CREATE TABLE "intent_classifiers" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"model" text NOT NULL,
	"examples" integer NOT NULL,
	"intents" jsonb NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "intent_classifiers" ADD CONSTRAINT "intent_classifiers_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;