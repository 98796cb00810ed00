CREATE TABLE "case_catalogues" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"created_by" uuid,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_categories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"catalogue_id" uuid NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text,
	"description" text,
	"kind" text DEFAULT 'event' NOT NULL,
	"response_limit_value" double precision,
	"response_limit_unit" text,
	"handle_limit_value" double precision,
	"handle_limit_unit" text,
	"first_level" text,
	"responsibility" text,
	"department_org_id" uuid,
	"keywords" text[] DEFAULT '{}' NOT NULL,
	"attributes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"actor_user_id" uuid,
	"actor_label" text NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"from_level" text,
	"to_level" text,
	"note" text,
	"evidence" uuid[] DEFAULT '{}' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"visible_to_reporter" boolean DEFAULT true NOT NULL,
	"audit_entry_id" bigint
);
--> statement-breakpoint
CREATE TABLE "case_extensions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"reason" text NOT NULL,
	"extra_value" double precision NOT NULL,
	"extra_unit" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"new_due_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid,
	"uploaded_by" uuid,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"width" integer,
	"height" integer,
	"bytes" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_summons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"whistle_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"department_org_id" uuid NOT NULL,
	"status" text DEFAULT 'summoned' NOT NULL,
	"report_in_due_at" timestamp with time zone NOT NULL,
	"reported_in_at" timestamp with time zone,
	"reported_in_by" uuid,
	"finished_at" timestamp with time zone,
	"finished_by" uuid,
	"finish_note" text,
	"evidence" uuid[] DEFAULT '{}' NOT NULL,
	"score" integer,
	"score_note" text,
	"scored_by" uuid,
	"scored_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_timers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"summons_id" uuid,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone,
	"fired_by" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_whistles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"area_id" uuid NOT NULL,
	"blown_by" uuid NOT NULL,
	"reason" text NOT NULL,
	"blown_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_no" text NOT NULL,
	"source" text NOT NULL,
	"category_id" uuid NOT NULL,
	"category_code" text NOT NULL,
	"description" text NOT NULL,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"status" text NOT NULL,
	"level" text NOT NULL,
	"handling_area_id" uuid,
	"handling_org_id" uuid,
	"grid_id" uuid NOT NULL,
	"area_path" text NOT NULL,
	"community_id" uuid,
	"street_id" uuid,
	"lng" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"building_id" uuid,
	"location_text" text,
	"reporter_user_id" uuid,
	"reporter_person_id" uuid,
	"recorded_by_user_id" uuid,
	"anonymous" boolean DEFAULT false NOT NULL,
	"contact_name" text,
	"contact_phone_enc" text,
	"contact_phone_hash" text,
	"contact_phone_masked" text,
	"idempotency_key" text,
	"submitter_key" text,
	"external_ref" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"merged_into_id" uuid,
	"reject_reason" text,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"rework_count" integer DEFAULT 0 NOT NULL,
	"extension_count" integer DEFAULT 0 NOT NULL,
	"return_count" integer DEFAULT 0 NOT NULL,
	"escalation_count" integer DEFAULT 0 NOT NULL,
	"whistled" boolean DEFAULT false NOT NULL,
	"response_due_at" timestamp with time zone,
	"handle_due_at" timestamp with time zone,
	"registered_at" timestamp with time zone,
	"dispatched_at" timestamp with time zone,
	"received_at" timestamp with time zone,
	"feedback_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_on_time" boolean,
	"rating" text,
	"resolved" boolean,
	"rated_at" timestamp with time zone,
	"repeat_of_id" uuid,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"receipt_entry_id" bigint
);
--> statement-breakpoint
CREATE TABLE "measure_weights" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"area_id" uuid,
	"from_month" text NOT NULL,
	"weights" jsonb NOT NULL,
	"set_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"case_id" uuid,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"title_en" text,
	"body_en" text,
	"link" text,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"webhook_id" uuid NOT NULL,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"last_status" integer,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"secret_enc" text NOT NULL,
	"events" text[] DEFAULT '{}' NOT NULL,
	"area_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "case_catalogues_version_key" ON "case_catalogues" USING btree ("version");--> statement-breakpoint
CREATE UNIQUE INDEX "case_catalogues_one_active" ON "case_catalogues" USING btree ("status") WHERE "case_catalogues"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "case_categories_code_key" ON "case_categories" USING btree ("catalogue_id","code");--> statement-breakpoint
CREATE INDEX "case_categories_parent_idx" ON "case_categories" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "case_extensions_case_idx" ON "case_extensions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_photos_case_idx" ON "case_photos" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_summons_case_idx" ON "case_summons" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_summons_department_idx" ON "case_summons" USING btree ("department_org_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "case_summons_whistle_department_key" ON "case_summons" USING btree ("whistle_id","department_org_id");--> statement-breakpoint
CREATE INDEX "case_timers_due_idx" ON "case_timers" USING btree ("due_at") WHERE "case_timers"."fired_at" is null and "case_timers"."cancelled_at" is null;--> statement-breakpoint
CREATE INDEX "case_timers_case_idx" ON "case_timers" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_whistles_case_idx" ON "case_whistles" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_case_no_key" ON "cases" USING btree ("case_no");--> statement-breakpoint
CREATE UNIQUE INDEX "cases_idempotency_key" ON "cases" USING btree ("submitter_key","idempotency_key");--> statement-breakpoint
CREATE INDEX "cases_area_path_idx" ON "cases" USING btree ("area_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_status_idx" ON "cases" USING btree ("status");--> statement-breakpoint
CREATE INDEX "cases_grid_idx" ON "cases" USING btree ("grid_id");--> statement-breakpoint
CREATE INDEX "cases_reporter_idx" ON "cases" USING btree ("reporter_user_id");--> statement-breakpoint
CREATE INDEX "cases_submitted_idx" ON "cases" USING btree ("submitted_at");--> statement-breakpoint
CREATE INDEX "cases_handling_org_idx" ON "cases" USING btree ("handling_org_id");--> statement-breakpoint
CREATE INDEX "cases_category_code_idx" ON "cases" USING btree ("category_code","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "measure_weights_area_month_key" ON "measure_weights" USING btree (coalesce("area_id"::text, ''),"from_month");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."delivered_at" is null and "webhook_deliveries"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_hook_idx" ON "webhook_deliveries" USING btree ("webhook_id","id");