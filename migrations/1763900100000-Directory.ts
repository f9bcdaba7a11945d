import { MigrationInterface, QueryRunner } from 'typeorm';

export class Directory1763900100000 implements MigrationInterface {
  name = 'Directory1763900100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Case-insensitive keyword search on names (ILIKE '%…%') uses trigram indexes.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "ix_hospital_name_trgm" ON "hospital" USING gin ("name" gin_trgm_ops)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_org_name_trgm" ON "org" USING gin ("name" gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX "ix_app_user_real_name_trgm" ON "app_user" USING gin ("real_name" gin_trgm_ops)`,
    );
    await queryRunner.query(`
            CREATE TABLE "banner" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "app_type" smallint NOT NULL,
                "title" character varying(200) NOT NULL,
                "photo" character varying(500) NOT NULL,
                "jump_mode" smallint NOT NULL DEFAULT '0',
                "jump_id" integer NOT NULL DEFAULT '0',
                "href" character varying(500) NOT NULL DEFAULT '',
                "hospital_id" integer,
                "org_id" integer,
                "sort" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6d9e2570b3d85ba37b681cd4256" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_banner_app_type" ON "banner" ("app_type", "sort")
        `);
    await queryRunner.query(`
            CREATE TABLE "message_read" (
                "user_id" integer NOT NULL,
                "message_id" bigint NOT NULL,
                "read_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8fbfe7ae8049bc6ab56b4074aa3" PRIMARY KEY ("user_id", "message_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "message" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "type" smallint NOT NULL,
                "app_type" smallint,
                "user_id" integer,
                "title" character varying(200) NOT NULL,
                "content" text NOT NULL DEFAULT '',
                "sender_name" character varying(50) NOT NULL DEFAULT '',
                "sender_avatar" character varying(500) NOT NULL DEFAULT '',
                "publish_time" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_message_target" CHECK (
                    (
                        type = 0
                        AND app_type IS NOT NULL
                        AND user_id IS NULL
                    )
                    OR (
                        type = 1
                        AND user_id IS NOT NULL
                    )
                ),
                CONSTRAINT "PK_ba01f0a3e0123651915008bc578" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_message_app_type_publish" ON "message" ("app_type", "publish_time")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_message_user_publish" ON "message" ("user_id", "publish_time")
        `);
    await queryRunner.query(`
            CREATE TABLE "news" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "type" smallint NOT NULL,
                "title" character varying(200) NOT NULL,
                "photo" character varying(500) NOT NULL DEFAULT '',
                "content" text NOT NULL DEFAULT '',
                "publish_time" TIMESTAMP WITH TIME ZONE NOT NULL,
                "hospital_id" integer,
                "org_id" integer,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_39a43dfcb6007180f04aff2357e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_news_hospital" ON "news" ("hospital_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_news_org" ON "news" ("org_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_news_type_publish_time" ON "news" ("type", "publish_time")
        `);
    await queryRunner.query(`
            CREATE TABLE "org_member" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "org_id" integer NOT NULL,
                "doctor_id" integer NOT NULL,
                "verify_status" smallint NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_org_member_org_doctor" UNIQUE ("org_id", "doctor_id"),
                CONSTRAINT "PK_572a1b79344c45cba61e93eb34c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_org_member_doctor" ON "org_member" ("doctor_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "follow" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "follower_id" integer NOT NULL,
                "doctor_id" integer NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_follow_follower_doctor" UNIQUE ("follower_id", "doctor_id"),
                CONSTRAINT "PK_fda88bc28a84d2d6d06e19df6e5" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_follow_doctor" ON "follow" ("doctor_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "user_stat" (
                "user_id" integer NOT NULL,
                "score" numeric(3, 2) NOT NULL DEFAULT '0',
                "score_sum" integer NOT NULL DEFAULT '0',
                "score_count" integer NOT NULL DEFAULT '0',
                "patient_count" integer NOT NULL DEFAULT '0',
                "visits_count" integer NOT NULL DEFAULT '0',
                "service_minutes" integer NOT NULL DEFAULT '0',
                "credit_sum" integer NOT NULL DEFAULT '0',
                "credit_count" integer NOT NULL DEFAULT '0',
                "punctuality_sum" integer NOT NULL DEFAULT '0',
                "punctuality_count" integer NOT NULL DEFAULT '0',
                "join_project_count" integer NOT NULL DEFAULT '0',
                "done_project_count" integer NOT NULL DEFAULT '0',
                "help_count" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_96f37e9c9a16f47ff580b62b30f" PRIMARY KEY ("user_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_user_stat_patient_count" ON "user_stat" ("patient_count", "user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_user_stat_score" ON "user_stat" ("score", "user_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "org_member"
            ADD CONSTRAINT "fk_org_member_org" FOREIGN KEY ("org_id") REFERENCES "org"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "org_member"
            ADD CONSTRAINT "fk_org_member_doctor" FOREIGN KEY ("doctor_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "follow"
            ADD CONSTRAINT "fk_follow_follower" FOREIGN KEY ("follower_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "follow"
            ADD CONSTRAINT "fk_follow_doctor" FOREIGN KEY ("doctor_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "user_stat"
            ADD CONSTRAINT "fk_user_stat_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "ix_app_user_real_name_trgm"`);
    await queryRunner.query(`DROP INDEX "ix_org_name_trgm"`);
    await queryRunner.query(`DROP INDEX "ix_hospital_name_trgm"`);
    await queryRunner.query(`
            ALTER TABLE "user_stat" DROP CONSTRAINT "fk_user_stat_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "follow" DROP CONSTRAINT "fk_follow_doctor"
        `);
    await queryRunner.query(`
            ALTER TABLE "follow" DROP CONSTRAINT "fk_follow_follower"
        `);
    await queryRunner.query(`
            ALTER TABLE "org_member" DROP CONSTRAINT "fk_org_member_doctor"
        `);
    await queryRunner.query(`
            ALTER TABLE "org_member" DROP CONSTRAINT "fk_org_member_org"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_user_stat_score"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_user_stat_patient_count"
        `);
    await queryRunner.query(`
            DROP TABLE "user_stat"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_follow_doctor"
        `);
    await queryRunner.query(`
            DROP TABLE "follow"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_org_member_doctor"
        `);
    await queryRunner.query(`
            DROP TABLE "org_member"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_news_type_publish_time"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_news_org"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_news_hospital"
        `);
    await queryRunner.query(`
            DROP TABLE "news"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_message_user_publish"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_message_app_type_publish"
        `);
    await queryRunner.query(`
            DROP TABLE "message"
        `);
    await queryRunner.query(`
            DROP TABLE "message_read"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_banner_app_type"
        `);
    await queryRunner.query(`
            DROP TABLE "banner"
        `);
  }
}
