CREATE TABLE "admin_events" (
	"customer_id" text NOT NULL,
	"id" text NOT NULL,
	"system_id" text,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"reported_by" text NOT NULL,
	"notify_status" text NOT NULL,
	"notify_code" text,
	"notify_detail" text,
	"recipients" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"subscription_id" text,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "admin_events_customer_id_id_pk" PRIMARY KEY("customer_id","id")
);
--> statement-breakpoint
CREATE TABLE "config_backups" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"system_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"location" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "admin_events_customer_idx" ON "admin_events" USING btree ("customer_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "config_backups_taken_uq" ON "config_backups" USING btree ("customer_id","system_id","taken_at");