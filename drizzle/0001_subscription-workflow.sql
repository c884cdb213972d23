CREATE TABLE "invoices" (
	"key" text PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint NOT NULL,
	"instalments" jsonb NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"event_key" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "entitlements" ALTER COLUMN "policy_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "invoice_key" text;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "period_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "period_end" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "quantity" integer;--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "plan_id" text NOT NULL;--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "calendar_id" text NOT NULL;--> statement-breakpoint
ALTER TABLE "entitlements" ADD COLUMN "response_target_ms" bigint NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "contact_email" text;--> statement-breakpoint
CREATE UNIQUE INDEX "subscription_events_key_uq" ON "subscription_events" USING btree ("subscription_id","event_key");--> statement-breakpoint
CREATE INDEX "subscription_events_kind_idx" ON "subscription_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "charges_subscription_idx" ON "charges" USING btree ("subscription_id","at");--> statement-breakpoint
CREATE INDEX "subscriptions_customer_idx" ON "subscriptions" USING btree ("customer_id","status");