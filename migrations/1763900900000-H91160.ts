import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 91160 appointments: hospitals synced from 91160 (their `unitId` on the hospital row, unique; operators' rows
 * keep null), the departments of synced hospitals, the sync's resumable progress (one row), and patients'
 * appointments.
 */
export class H911601763900900000 implements MigrationInterface {
  name = 'H911601763900900000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "hospital" ADD "h91160_unit_id" integer`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_hospital_h91160_unit" ON "hospital" ("h91160_unit_id")`);
    await queryRunner.query(`
            CREATE TABLE "hospital_department" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "hospital_id" integer NOT NULL,
                "partner_dep_id" integer NOT NULL,
                "name" character varying(100) NOT NULL,
                "intro" text NOT NULL DEFAULT '',
                "class_name" character varying(100) NOT NULL DEFAULT '',
                "telephone" character varying(50) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_hospital_department_partner" UNIQUE ("hospital_id", "partner_dep_id"),
                CONSTRAINT "PK_6daae390abf4c7c1621d41ebdec" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "hospital_department"
            ADD CONSTRAINT "fk_hospital_department_hospital" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            CREATE TABLE "h91160_sync_state" (
                "id" smallint NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'idle',
                "next_page" integer NOT NULL DEFAULT '1',
                "unit_cursor" integer,
                "dep_page" integer NOT NULL DEFAULT '1',
                "page_size" integer NOT NULL DEFAULT '0',
                "total_units" integer,
                "pages_done" integer NOT NULL DEFAULT '0',
                "hospitals_created" integer NOT NULL DEFAULT '0',
                "hospitals_updated" integer NOT NULL DEFAULT '0',
                "departments_created" integer NOT NULL DEFAULT '0',
                "departments_updated" integer NOT NULL DEFAULT '0',
                "resumes" integer NOT NULL DEFAULT '0',
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "last_error" character varying(500) NOT NULL DEFAULT '',
                "last_error_at" TIMESTAMP WITH TIME ZONE,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1c196fd003331248f88168d48cf" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`INSERT INTO "h91160_sync_state" ("id") VALUES (1)`);
    await queryRunner.query(`
            CREATE TABLE "h91160_appointment" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "user_id" integer NOT NULL,
                "hospital_id" integer NOT NULL,
                "department_id" integer NOT NULL,
                "unit_id" integer NOT NULL,
                "doctor_id" integer NOT NULL,
                "schedule_id" character varying(64) NOT NULL,
                "detl_id" character varying(64) NOT NULL,
                "state" character varying(16) NOT NULL,
                "order_id" character varying(32),
                "his_take_no" character varying(64),
                "hospital_name" character varying(100) NOT NULL,
                "department_name" character varying(100) NOT NULL,
                "begin_time" TIMESTAMP WITH TIME ZONE,
                "end_time" TIMESTAMP WITH TIME ZONE,
                "fee" integer NOT NULL DEFAULT '0',
                "partner_code" character varying(32),
                "cancel_reason" character varying(100) NOT NULL DEFAULT '',
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f3e91fd4c94565ef52912da6441" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_h91160_appointment_live" ON "h91160_appointment" ("user_id", "unit_id", "detl_id") WHERE state IN ('unknown', 'booked')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_h91160_appointment_user" ON "h91160_appointment" ("user_id", "id")`,
    );
    await queryRunner.query(`
            ALTER TABLE "h91160_appointment"
            ADD CONSTRAINT "fk_h91160_appointment_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "h91160_appointment"
            ADD CONSTRAINT "fk_h91160_appointment_hospital" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "h91160_appointment"
            ADD CONSTRAINT "fk_h91160_appointment_department" FOREIGN KEY ("department_id") REFERENCES "hospital_department"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "h91160_appointment"`);
    await queryRunner.query(`DROP TABLE "h91160_sync_state"`);
    await queryRunner.query(`DROP TABLE "hospital_department"`);
    await queryRunner.query(`DROP INDEX "public"."uq_hospital_h91160_unit"`);
    await queryRunner.query(`ALTER TABLE "hospital" DROP COLUMN "h91160_unit_id"`);
  }
}
