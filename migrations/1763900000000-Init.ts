import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1763900000000 implements MigrationInterface {
  name = 'Init1763900000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "rate_limit_counter" (
                "key" character varying(200) NOT NULL,
                "hits" integer NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_5bfa3ad3fe33321b1d17eae4746" PRIMARY KEY ("key")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_rate_limit_counter_expires" ON "rate_limit_counter" ("expires_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "operator" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "phone" character varying(11) NOT NULL,
                "password_hash" character varying(200) NOT NULL,
                "name" character varying(50) NOT NULL DEFAULT '',
                "is_active" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_operator_phone" UNIQUE ("phone"),
                CONSTRAINT "PK_8b950e1572745d9f69be7748ae8" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "operator_id" integer,
                "action" character varying(64) NOT NULL,
                "target_type" character varying(32) NOT NULL,
                "target_id" character varying(64) NOT NULL DEFAULT '',
                "detail" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "ip" character varying(64) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_operator" ON "audit_log" ("operator_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_audit_log_created_at" ON "audit_log" ("created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "hospital" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "name" character varying(100) NOT NULL,
                "logo" character varying(500) NOT NULL DEFAULT '',
                "banner" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "level" character varying(50) NOT NULL DEFAULT '',
                "tag" character varying(100) NOT NULL DEFAULT '',
                "province_id" integer,
                "province_name" character varying(50) NOT NULL DEFAULT '',
                "city_id" integer,
                "city_name" character varying(50) NOT NULL DEFAULT '',
                "county_id" integer,
                "county_name" character varying(50) NOT NULL DEFAULT '',
                "addr" character varying(200) NOT NULL DEFAULT '',
                "lng" numeric(9, 6),
                "lat" numeric(8, 6),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_10f19e0bf17ded693ea0da07d95" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "app_user" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "type" smallint NOT NULL,
                "phone" character varying(11) NOT NULL,
                "password_hash" character varying(200),
                "is_verify" smallint NOT NULL DEFAULT '0',
                "real_name" character varying(50) NOT NULL DEFAULT '',
                "avatars" character varying(500) NOT NULL DEFAULT '',
                "idno" character varying(18),
                "sex" smallint NOT NULL DEFAULT '0',
                "birthday" date,
                "email" character varying(100) NOT NULL DEFAULT '',
                "height" character varying(10) NOT NULL DEFAULT '',
                "weight" character varying(10) NOT NULL DEFAULT '',
                "province_id" integer,
                "province_name" character varying(50) NOT NULL DEFAULT '',
                "city_id" integer,
                "city_name" character varying(50) NOT NULL DEFAULT '',
                "county_id" integer,
                "county_name" character varying(50) NOT NULL DEFAULT '',
                "addr" character varying(200) NOT NULL DEFAULT '',
                "marital_status" smallint NOT NULL DEFAULT '0',
                "drink_status" smallint NOT NULL DEFAULT '0',
                "smoking_status" smallint NOT NULL DEFAULT '0',
                "hospital_id" integer,
                "departments" character varying(50) NOT NULL DEFAULT '',
                "job_position" character varying(50) NOT NULL DEFAULT '',
                "good_at" character varying(500) NOT NULL DEFAULT '',
                "work_photo" jsonb NOT NULL DEFAULT '[]'::jsonb,
                "abstract" text NOT NULL DEFAULT '',
                "work_time" jsonb,
                "team_name" character varying(100) NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_app_user_phone_type" UNIQUE ("phone", "type"),
                CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_app_user_is_verify" ON "app_user" ("is_verify")
        `);
    await queryRunner.query(`
            CREATE TABLE "auth_token" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "token_hash" character(64) NOT NULL,
                "user_id" integer,
                "operator_id" integer,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_used_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ck_auth_token_one_subject" CHECK ((user_id IS NULL) <> (operator_id IS NULL)),
                CONSTRAINT "PK_4572ff5d1264c4a523f01aa86a0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "uq_auth_token_hash" ON "auth_token" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_auth_token_user" ON "auth_token" ("user_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_auth_token_operator" ON "auth_token" ("operator_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "captcha" (
                "id" uuid NOT NULL,
                "text_hash" character(64) NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_f7c513ab5a7409973732468205b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "sms_code" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "phone" character varying(11) NOT NULL,
                "code_hash" character(64) NOT NULL,
                "attempts" smallint NOT NULL DEFAULT '0',
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "consumed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_6be10be47996c6d6591354f0002" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_sms_code_phone_created" ON "sms_code" ("phone", "created_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "org" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "name" character varying(100) NOT NULL,
                "logo" character varying(500) NOT NULL DEFAULT '',
                "abstract" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_703783130f152a752cadf7aa751" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "region" (
                "id" integer NOT NULL,
                "parent_id" integer NOT NULL DEFAULT '0',
                "name" character varying(50) NOT NULL,
                "short_name" character varying(50) NOT NULL,
                "pinyin" character varying(100) NOT NULL,
                "level" smallint NOT NULL,
                "sort" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_5f48ffc3af96bc486f5f3f3a6da" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_region_parent" ON "region" ("parent_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_region_name" ON "region" ("name")
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_region_short_name" ON "region" ("short_name")
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD CONSTRAINT "fk_app_user_hospital" FOREIGN KEY ("hospital_id") REFERENCES "hospital"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_token"
            ADD CONSTRAINT "fk_auth_token_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_token"
            ADD CONSTRAINT "fk_auth_token_operator" FOREIGN KEY ("operator_id") REFERENCES "operator"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "auth_token" DROP CONSTRAINT "fk_auth_token_operator"
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_token" DROP CONSTRAINT "fk_auth_token_user"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP CONSTRAINT "fk_app_user_hospital"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_region_short_name"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_region_name"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_region_parent"
        `);
    await queryRunner.query(`
            DROP TABLE "region"
        `);
    await queryRunner.query(`
            DROP TABLE "org"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_sms_code_phone_created"
        `);
    await queryRunner.query(`
            DROP TABLE "sms_code"
        `);
    await queryRunner.query(`
            DROP TABLE "captcha"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_auth_token_operator"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_auth_token_user"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."uq_auth_token_hash"
        `);
    await queryRunner.query(`
            DROP TABLE "auth_token"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_app_user_is_verify"
        `);
    await queryRunner.query(`
            DROP TABLE "app_user"
        `);
    await queryRunner.query(`
            DROP TABLE "hospital"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_created_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_audit_log_operator"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
    await queryRunner.query(`
            DROP TABLE "operator"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ix_rate_limit_counter_expires"
        `);
    await queryRunner.query(`
            DROP TABLE "rate_limit_counter"
        `);
  }
}
