CREATE TABLE "grid_staff" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"grid_id" uuid NOT NULL,
	"role" text NOT NULL,
	"user_id" uuid,
	"person_id" uuid,
	"name" text NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "grid_staff_grid_idx" ON "grid_staff" USING btree ("grid_id");--> statement-breakpoint
CREATE UNIQUE INDEX "grid_staff_one_leader_key" ON "grid_staff" USING btree ("grid_id") WHERE "grid_staff"."role" = 'leader' and "grid_staff"."ended_on" is null;