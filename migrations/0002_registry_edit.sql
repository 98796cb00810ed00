CREATE TABLE "area_boundary_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid NOT NULL,
	"boundary" jsonb NOT NULL,
	"min_lng" double precision NOT NULL,
	"min_lat" double precision NOT NULL,
	"max_lng" double precision NOT NULL,
	"max_lat" double precision NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"reason" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "area_lineage" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"from_area_id" uuid NOT NULL,
	"to_area_id" uuid NOT NULL,
	"effective_on" date NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "party_registrations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"community_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"person_id" uuid,
	"name" text NOT NULL,
	"phone_enc" text,
	"phone_hash" text,
	"phone_masked" text,
	"org_name" text NOT NULL,
	"work_unit" text,
	"skills" text[] DEFAULT '{}' NOT NULL,
	"message" text,
	"status" text DEFAULT 'registered' NOT NULL,
	"decision_note" text,
	"registered_by" uuid,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"party_member_id" uuid
);
--> statement-breakpoint
ALTER TABLE "buildings" ADD COLUMN "footprint" jsonb;--> statement-breakpoint
ALTER TABLE "party_members" ADD COLUMN "report_in_confirmed_on" date;--> statement-breakpoint
ALTER TABLE "party_members" ADD COLUMN "outside_org_name" text;--> statement-breakpoint
ALTER TABLE "party_members" ADD COLUMN "work_unit" text;--> statement-breakpoint
ALTER TABLE "party_members" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "supervisor_id" uuid;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "dissolved_on" date;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "area_boundary_versions_area_idx" ON "area_boundary_versions" USING btree ("area_id","valid_from");--> statement-breakpoint
CREATE INDEX "area_lineage_from_idx" ON "area_lineage" USING btree ("from_area_id");--> statement-breakpoint
CREATE INDEX "area_lineage_to_idx" ON "area_lineage" USING btree ("to_area_id");--> statement-breakpoint
CREATE INDEX "party_registrations_community_idx" ON "party_registrations" USING btree ("community_id","status");--> statement-breakpoint
CREATE INDEX "party_registrations_person_idx" ON "party_registrations" USING btree ("person_id");--> statement-breakpoint
-- Every grid drawn before boundary history existed gets its first version.
INSERT INTO "area_boundary_versions" ("area_id", "boundary", "min_lng", "min_lat", "max_lng", "max_lat", "valid_from", "valid_to", "reason")
SELECT "id", "boundary", "min_lng", "min_lat", "max_lng", "max_lat", COALESCE("valid_from", "created_at"::date), "valid_to", 'drawn'
FROM "areas" WHERE "boundary" IS NOT NULL AND "min_lng" IS NOT NULL;
