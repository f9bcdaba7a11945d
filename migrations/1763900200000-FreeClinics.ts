import { MigrationInterface, QueryRunner } from 'typeorm';

export class FreeClinics1763900200000 implements MigrationInterface {
  name = 'FreeClinics1763900200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "casebook" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "user_id" integer NOT NULL,
                "project_id" integer NOT NULL,
                "content" text NOT NULL,
                "photo" jsonb NOT NULL DEFAULT '[]',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_fc519b89823e699d506a2c9151b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_casebook_user_project" ON "casebook" ("user_id", "project_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "project_slot" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "project_id" integer NOT NULL,
                "idx" smallint NOT NULL,
                "begin" TIME NOT NULL,
                "end" TIME NOT NULL,
                "capacity" integer NOT NULL,
                "remaining" integer NOT NULL,
                CONSTRAINT "uq_project_slot_index" UNIQUE ("project_id", "idx"),
                CONSTRAINT "ck_project_slot_remaining" CHECK (
                    remaining >= 0
                    AND remaining <= capacity
                ),
                CONSTRAINT "PK_c6a6f5b9156288c4dd763f72e94" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "project" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "doctor_id" integer NOT NULL,
                "hospital_id" integer,
                "departments" character varying(50) NOT NULL DEFAULT '',
                "date" date NOT NULL,
                "begin" TIME NOT NULL,
                "end" TIME NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "people_count" integer NOT NULL,
                "join_people_count" integer NOT NULL DEFAULT '0',
                "addr" character varying(200) NOT NULL,
                "lng" numeric(9, 6) NOT NULL,
                "lat" numeric(8, 6) NOT NULL,
                "abstract" text NOT NULL DEFAULT '',
                "price_fen" integer NOT NULL DEFAULT '0',
                "status" smallint NOT NULL DEFAULT '1',
                "service_target" jsonb NOT NULL DEFAULT '[]',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_project_window" CHECK (
                    "begin" < "end"
                    AND people_count BETWEEN 1 AND 1000
                    AND price_fen >= 0
                ),
                CONSTRAINT "PK_4d68b1358bb5b766d3e78f32f57" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_project_hospital" ON "project" ("hospital_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_project_starts_at" ON "project" ("starts_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_project_doctor_date" ON "project" ("doctor_id", "date")
        `);
    await queryRunner.query(`
            CREATE TABLE "diagnosis" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "project_id" integer NOT NULL,
                "slot_id" integer NOT NULL,
                "user_id" integer NOT NULL,
                "doctor_user_id" integer NOT NULL,
                "hospital_id" integer,
                "assistant_user_id" integer,
                "casebook_id" integer NOT NULL,
                "verify_status" smallint NOT NULL,
                "reject_msg" character varying(200) NOT NULL DEFAULT '',
                "visit_time" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" smallint NOT NULL DEFAULT '1',
                "amount_fen" integer NOT NULL DEFAULT '0',
                "sn" character varying(32),
                "refund_status" smallint,
                "refund_sn" character varying(64),
                "refund_time" TIMESTAMP WITH TIME ZONE,
                "confirm_no_refund" smallint NOT NULL DEFAULT '0',
                "diag_result" text NOT NULL DEFAULT '',
                "diag_photo" jsonb NOT NULL DEFAULT '[]',
                "patient_credit_score" smallint,
                "patient_punctuality_score" smallint,
                "doctor_comment_time" TIMESTAMP WITH TIME ZONE,
                "doctor_score" smallint,
                "doctor_comment" character varying(200) NOT NULL DEFAULT '',
                "patient_comment_time" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_diagnosis_scores" CHECK (
                    (
                        doctor_score IS NULL
                        OR doctor_score BETWEEN 1 AND 5
                    )
                    AND (
                        patient_credit_score IS NULL
                        OR patient_credit_score BETWEEN 1 AND 5
                    )
                    AND (
                        patient_punctuality_score IS NULL
                        OR patient_punctuality_score BETWEEN 1 AND 5
                    )
                ),
                CONSTRAINT "PK_d5dbb1cc4e30790df368da56961" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_diagnosis_sn" ON "diagnosis" ("sn")
            WHERE sn IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_diagnosis_project" ON "diagnosis" ("project_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_diagnosis_assistant" ON "diagnosis" ("assistant_user_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_diagnosis_doctor" ON "diagnosis" ("doctor_user_id", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_diagnosis_user" ON "diagnosis" ("user_id", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_diagnosis_active_per_patient" ON "diagnosis" ("project_id", "user_id")
            WHERE verify_status IN (0, 1)
        `);
    await queryRunner.query(`
            CREATE TABLE "sp_project" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "date" date NOT NULL,
                "begin" TIME NOT NULL,
                "end" TIME NOT NULL,
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "people_count" integer NOT NULL DEFAULT '0',
                "addr" character varying(200) NOT NULL DEFAULT '',
                "lng" numeric(9, 6),
                "lat" numeric(8, 6),
                "abstract" text NOT NULL DEFAULT '',
                "photo" character varying(500) NOT NULL DEFAULT '',
                "price_fen" integer NOT NULL DEFAULT '0',
                "status" smallint NOT NULL DEFAULT '1',
                "service_target" jsonb NOT NULL DEFAULT '[]',
                "hospital_id" integer,
                "org_id" integer,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_cccac3c6573bdfe1406090a8093" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sp_project_item" (
                "sp_project_id" integer NOT NULL,
                "project_id" integer NOT NULL,
                CONSTRAINT "PK_db35514744dcf4c10c95fad2f6a" PRIMARY KEY ("sp_project_id", "project_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_8982b0f674a5a21dcdff0ffc34" ON "sp_project_item" ("sp_project_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_b322d4e8463f30873c770e3b0a" ON "sp_project_item" ("project_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "project_slot"
            ADD CONSTRAINT "fk_project_slot_project" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "project"
            ADD CONSTRAINT "fk_project_doctor" FOREIGN KEY ("doctor_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "project"
            ADD CONSTRAINT "fk_project_hospital" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD CONSTRAINT "fk_diagnosis_project" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD CONSTRAINT "fk_diagnosis_slot" FOREIGN KEY ("slot_id") REFERENCES "project_slot"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD CONSTRAINT "fk_diagnosis_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD CONSTRAINT "fk_diagnosis_casebook" FOREIGN KEY ("casebook_id") REFERENCES "casebook"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "sp_project_item"
            ADD CONSTRAINT "fk_sp_project_item_sp" FOREIGN KEY ("sp_project_id") REFERENCES "sp_project"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
    await queryRunner.query(`
            ALTER TABLE "sp_project_item"
            ADD CONSTRAINT "fk_sp_project_item_project" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE
        `);
    // Nearest-first lists: a GiST index on points on the earth's surface serves ORDER BY … <-> … (KNN).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS cube`);
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);
    await queryRunner.query(
      `CREATE INDEX "ix_project_earth" ON "project" USING gist (ll_to_earth(lat::float8, lng::float8))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_project_earth"`);
    await queryRunner.query(`
            ALTER TABLE "sp_project_item" DROP CONSTRAINT "fk_sp_project_item_project"
        `);
    await queryRunner.query(`
            ALTER TABLE "sp_project_item" DROP CONSTRAINT "fk_sp_project_item_sp"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP CONSTRAINT "fk_diagnosis_casebook"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP CONSTRAINT "fk_diagnosis_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP CONSTRAINT "fk_diagnosis_slot"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP CONSTRAINT "fk_diagnosis_project"
        `);
    await queryRunner.query(`
            ALTER TABLE "project" DROP CONSTRAINT "fk_project_hospital"
        `);
    await queryRunner.query(`
            ALTER TABLE "project" DROP CONSTRAINT "fk_project_doctor"
        `);
    await queryRunner.query(`
            ALTER TABLE "project_slot" DROP CONSTRAINT "fk_project_slot_project"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_b322d4e8463f30873c770e3b0a"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_8982b0f674a5a21dcdff0ffc34"
        `);
    await queryRunner.query(`
            DROP TABLE "sp_project_item"
        `);
    await queryRunner.query(`
            DROP TABLE "sp_project"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_diagnosis_active_per_patient"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_diagnosis_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_diagnosis_doctor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_diagnosis_assistant"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_diagnosis_project"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_diagnosis_sn"
        `);
    await queryRunner.query(`
            DROP TABLE "diagnosis"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_project_doctor_date"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_project_starts_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_project_hospital"
        `);
    await queryRunner.query(`
            DROP TABLE "project"
        `);
    await queryRunner.query(`
            DROP TABLE "project_slot"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_casebook_user_project"
        `);
    await queryRunner.query(`
            DROP TABLE "casebook"
        `);
  }
}
