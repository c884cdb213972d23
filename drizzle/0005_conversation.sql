CREATE TABLE "ticket_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"message_key" text NOT NULL,
	"event_key" text,
	"kind" text NOT NULL,
	"author_kind" text NOT NULL,
	"author_name" text,
	"author_email" text,
	"visibility" text NOT NULL,
	"channel" text NOT NULL,
	"to_address" text,
	"subject" text,
	"body" text NOT NULL,
	"html" text,
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_messages_key_uq" ON "ticket_messages" USING btree ("ticket_id","message_key");--> statement-breakpoint
CREATE INDEX "ticket_messages_ticket_idx" ON "ticket_messages" USING btree ("ticket_id","at");