import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssistantsChat1763900300000 implements MigrationInterface {
  name = 'AssistantsChat1763900300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "wechat_token" (
                "app_id" character varying(64) NOT NULL,
                "access_token" character varying(1024) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_39025ebe01f538aabb8c6a6f068" PRIMARY KEY ("app_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "assistant_patient" (
                "assistant_id" integer NOT NULL,
                "patient_id" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_531fe7d89f3f09e7919634790ec" PRIMARY KEY ("assistant_id", "patient_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_assistant_patient_patient" ON "assistant_patient" ("patient_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "chat_dialog" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "patient_user_id" integer NOT NULL,
                "doctor_user_id" integer NOT NULL,
                "last_msg_id" bigint,
                "last_msg_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_chat_dialog_pair" UNIQUE ("patient_user_id", "doctor_user_id"),
                CONSTRAINT "PK_44cfb7e3807804612fe2cbc9772" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_chat_dialog_patient" ON "chat_dialog" ("patient_user_id", "last_msg_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_chat_dialog_doctor" ON "chat_dialog" ("doctor_user_id", "last_msg_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "chat_message" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "dialog_id" integer NOT NULL,
                "type" smallint NOT NULL,
                "from_user_id" integer NOT NULL,
                "to_user_id" integer NOT NULL,
                "content" character varying(256) NOT NULL,
                "photo" jsonb NOT NULL DEFAULT '[]',
                "is_read" smallint NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3cc0d85193aade457d3077dd06b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_chat_message_unread" ON "chat_message" ("to_user_id", "dialog_id")
            WHERE is_read = 0
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_chat_message_dialog" ON "chat_message" ("dialog_id", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "assistant_patient"
            ADD CONSTRAINT "fk_assistant_patient_assistant" FOREIGN KEY ("assistant_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "assistant_patient"
            ADD CONSTRAINT "fk_assistant_patient_patient" FOREIGN KEY ("patient_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "assistant_patient" DROP CONSTRAINT "fk_assistant_patient_patient"
        `);
    await queryRunner.query(`
            ALTER TABLE "assistant_patient" DROP CONSTRAINT "fk_assistant_patient_assistant"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_chat_message_dialog"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_chat_message_unread"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_message"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_chat_dialog_doctor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_chat_dialog_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_dialog"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_assistant_patient_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "assistant_patient"
        `);
    await queryRunner.query(`
            DROP TABLE "wechat_token"
        `);
  }
}
