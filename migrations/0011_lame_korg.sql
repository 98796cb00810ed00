ALTER TABLE "cases" ADD COLUMN "search_words" "tsvector";--> statement-breakpoint
CREATE INDEX "persons_name_idx" ON "persons" USING btree ("name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_search_words_idx" ON "cases" USING gin ("search_words");--> statement-breakpoint
CREATE INDEX "cases_case_no_pattern_idx" ON "cases" USING btree ("case_no" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_search_pending_idx" ON "cases" USING btree ("id") WHERE "cases"."search_words" is null;