CREATE TABLE "household_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"from_dwelling_id" uuid,
	"to_dwelling_id" uuid NOT NULL,
	"moved_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pii_reveals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"field" text NOT NULL,
	"purpose" text NOT NULL,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "red_grid_assignments" (
	"household_id" uuid PRIMARY KEY NOT NULL,
	"member_id" uuid,
	"reason" text NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL,
	"assigned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"title" text NOT NULL,
	"part_time" boolean DEFAULT false NOT NULL,
	"started_on" date,
	"ended_on" date
);
--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "skills" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "id_number_enc" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "id_number_hash" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "id_number_masked" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "phone_enc" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "persons" ADD COLUMN "phone_masked" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "incubation" text;--> statement-breakpoint
CREATE INDEX "household_moves_household_idx" ON "household_moves" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "pii_reveals_entity_idx" ON "pii_reveals" USING btree ("entity_type","entity_id");--> statement-breakpoint
CREATE INDEX "pii_reveals_user_idx" ON "pii_reveals" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "red_grid_assignments_member_idx" ON "red_grid_assignments" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "posts_person_idx" ON "posts" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "posts_org_idx" ON "posts" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_id_number_hash_key" ON "persons" USING btree ("id_number_hash");--> statement-breakpoint
CREATE INDEX "persons_phone_hash_idx" ON "persons" USING btree ("phone_hash");