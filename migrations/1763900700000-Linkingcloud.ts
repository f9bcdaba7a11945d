import { MigrationInterface, QueryRunner } from 'typeorm';

/** 联空医问: patients' questions (with our order_id) and the link of our doctors to the partner's. */
export class Linkingcloud1763900700000 implements MigrationInterface {
  name = 'Linkingcloud1763900700000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "consult_question" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "order_id" character varying(32) NOT NULL,
                "patient_user_id" integer NOT NULL,
                "lc_doctor_id" character varying(64) NOT NULL,
                "doctor_name" character varying(50) NOT NULL DEFAULT '',
                "lc_dept_id" character varying(64) NOT NULL DEFAULT '',
                "dept_name" character varying(50) NOT NULL DEFAULT '',
                "content" text NOT NULL,
                "images" jsonb NOT NULL DEFAULT '[]',
                "consult_name" character varying(50) NOT NULL,
                "amount_fen" integer NOT NULL,
                "delivery" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT 0,
                "last_error" character varying(100) NOT NULL DEFAULT '',
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_consult_question_order_id" UNIQUE ("order_id"),
                CONSTRAINT "PK_710000a46a50a37e6bed640413b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_consult_question_patient" ON "consult_question" ("patient_user_id", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "consult_doctor_link" (
                "user_id" integer NOT NULL,
                "lc_doctor_id" character varying(64) NOT NULL,
                "lc_service_id" character varying(64) NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_642b8d450b3e6fed1580b8a1075" PRIMARY KEY ("user_id")
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "consult_doctor_link"`);
    await queryRunner.query(`DROP INDEX "public"."ix_consult_question_patient"`);
    await queryRunner.query(`DROP TABLE "consult_question"`);
  }
}
