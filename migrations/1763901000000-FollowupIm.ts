import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alibaba Health follow-up IM: chat dialogs linked to a follow-up session (`followup_link`, one per dialog) and
 * one delivery per message of a linked dialog (`followup_delivery`). The partial index serves the claim of a
 * dialog's oldest open delivery; the status index the operators' list and the sweep.
 */
export class FollowupIm1763901000000 implements MigrationInterface {
  name = 'FollowupIm1763901000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "followup_link" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "dialog_id" integer NOT NULL,
                "session_id" character varying(64) NOT NULL,
                "bterm_user_id" character varying(64),
                "cterm_user_id" character varying(64),
                "doctor_partner_id" character varying(64),
                "operator_id" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_followup_link_dialog" UNIQUE ("dialog_id"),
                CONSTRAINT "PK_3c65d8ab18c3c6a48aaab28094b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "followup_delivery" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "message_id" bigint NOT NULL,
                "dialog_id" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "request" jsonb NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "partner_message_id" character varying(64),
                "error_kind" character varying(16),
                "error_code" character varying(128),
                "error_message" character varying(256),
                "claimed_at" TIMESTAMP WITH TIME ZONE,
                "delivered_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_followup_delivery_message" UNIQUE ("message_id"),
                CONSTRAINT "PK_15e1d46c2d0e63ecbf7cd209724" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_followup_delivery_status" ON "followup_delivery" ("status", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_followup_delivery_dialog_open" ON "followup_delivery" ("dialog_id", "id")
            WHERE status IN ('pending', 'sending')
        `);
    await queryRunner.query(`
            ALTER TABLE "followup_link"
            ADD CONSTRAINT "fk_followup_link_dialog" FOREIGN KEY ("dialog_id") REFERENCES "chat_dialog"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "followup_delivery"
            ADD CONSTRAINT "fk_followup_delivery_message" FOREIGN KEY ("message_id") REFERENCES "chat_message"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "followup_delivery"`);
    await queryRunner.query(`DROP TABLE "followup_link"`);
  }
}
