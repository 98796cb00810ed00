ALTER TABLE "case_summons" ADD COLUMN "recorded_on_behalf" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "ended_by" uuid;--> statement-breakpoint
ALTER TABLE "case_summons" ADD COLUMN "end_reason" text;