CREATE TABLE "invitation_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code_hash" text NOT NULL,
	"hint" text NOT NULL,
	"household_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" uuid
);
--> statement-breakpoint
CREATE TABLE "phone_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone_hash" text NOT NULL,
	"client_hash" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "signup_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"community_id" uuid NOT NULL,
	"community_path" text NOT NULL,
	"name" text NOT NULL,
	"phone_enc" text NOT NULL,
	"phone_hash" text NOT NULL,
	"phone_masked" text NOT NULL,
	"phone_verified" text NOT NULL,
	"address" text NOT NULL,
	"dwelling_id" uuid,
	"status" text NOT NULL,
	"via" text NOT NULL,
	"person_id" uuid,
	"reject_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_codes_hash_key" ON "invitation_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "invitation_codes_community_idx" ON "invitation_codes" USING btree ("community_path");--> statement-breakpoint
CREATE INDEX "phone_verifications_phone_idx" ON "phone_verifications" USING btree ("phone_hash","created_at");--> statement-breakpoint
CREATE INDEX "phone_verifications_client_idx" ON "phone_verifications" USING btree ("client_hash","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "signup_requests_user_key" ON "signup_requests" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "signup_requests_community_idx" ON "signup_requests" USING btree ("community_path","status");--> statement-breakpoint
CREATE INDEX "signup_requests_phone_idx" ON "signup_requests" USING btree ("phone_hash");