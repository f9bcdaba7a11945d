import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 肺轻松 QA orders: each patient's linked account (its DRF token sealed, unique per patient and per partner
 * account) and the orders created through us, so one patient never reaches another's order.
 */
export class Feiqingsong1763900800000 implements MigrationInterface {
  name = 'Feiqingsong1763900800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "feiqingsong_account" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "user_id" integer NOT NULL,
                "username" character varying(150) NOT NULL,
                "patient_pk" integer,
                "token" text NOT NULL,
                "token_hash" character(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_feiqingsong_account_user" UNIQUE ("user_id"),
                CONSTRAINT "uq_feiqingsong_account_token_hash" UNIQUE ("token_hash"),
                CONSTRAINT "PK_ab295823dc097837cf7f5486245" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "feiqingsong_order" (
                "id" integer GENERATED ALWAYS AS IDENTITY NOT NULL,
                "order_number" character varying(32) NOT NULL,
                "user_id" integer NOT NULL,
                "doctor" character varying(150) NOT NULL,
                "status" smallint NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_feiqingsong_order_number" UNIQUE ("order_number"),
                CONSTRAINT "PK_10a4cda60a04cfe3ed5e5b4e039" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_feiqingsong_order_user" ON "feiqingsong_order" ("user_id", "created_at")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_feiqingsong_order_user"`);
    await queryRunner.query(`DROP TABLE "feiqingsong_order"`);
    await queryRunner.query(`DROP TABLE "feiqingsong_account"`);
  }
}
