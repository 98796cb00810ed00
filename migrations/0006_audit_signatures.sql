-- Audit checkpoints are signed (Ed25519, key outside the database) and leaves cover the row id
-- (formats v2). Chains sealed in the unsigned v1 formats cannot be signed after the fact by SQL,
-- so they are unsealed here and the sealer seals them again, in the same id order, under the key
-- on its next run (the server does so within a second of starting).
DELETE FROM "audit_checkpoints";--> statement-breakpoint
UPDATE "audit_entries" SET "seq" = NULL, "prev_hash" = NULL, "hash" = NULL, "checkpoint_id" = NULL, "sealed_at" = NULL WHERE "seq" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "key_id" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD COLUMN "signature" text NOT NULL;
