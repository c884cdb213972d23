CREATE TABLE "catalog_versions" (
	"version" integer PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotes" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"reseller_id" text,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"total_minor" bigint NOT NULL,
	"lines" jsonb NOT NULL,
	"request" jsonb NOT NULL,
	"catalog_version" integer NOT NULL,
	"purchase_order" text,
	"ticket_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_time_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"minutes" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"author" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"billed_invoice_key" text
);
--> statement-breakpoint
ALTER TABLE "charges" ALTER COLUMN "subscription_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "subscription_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "ticket_id" text;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "payment_reference" text;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "refers_to" text;--> statement-breakpoint
ALTER TABLE "charges" ADD COLUMN "catalog_version" integer;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "devices" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "ticket_id" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "purchase_order" text;--> statement-breakpoint
CREATE INDEX "quotes_customer_idx" ON "quotes" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "ticket_time_ticket_idx" ON "ticket_time_entries" USING btree ("ticket_id","at");--> statement-breakpoint
CREATE INDEX "charges_customer_idx" ON "charges" USING btree ("customer_id","at");--> statement-breakpoint
CREATE INDEX "charges_ticket_idx" ON "charges" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id","issued_at");--> statement-breakpoint
CREATE INDEX "invoices_subscription_idx" ON "invoices" USING btree ("subscription_id");