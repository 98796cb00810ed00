ALTER TABLE "case_summons" ADD COLUMN "recorded_on_behalf" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "ended_by" uuid;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "assignee_user_id" uuid;--> statement-breakpoint
CREATE INDEX "cases_assignee_idx" ON "cases" USING btree ("assignee_user_id");