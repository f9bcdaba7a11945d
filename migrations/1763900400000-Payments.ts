import { MigrationInterface, QueryRunner } from 'typeorm';

export class Payments1763900400000 implements MigrationInterface {
  name = 'Payments1763900400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "payment_event" (
                "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
                "provider" character varying(16) NOT NULL,
                "event_id" character varying(64) NOT NULL,
                "kind" character varying(16) NOT NULL,
                "reference" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "uq_payment_event_provider_event" UNIQUE ("provider", "event_id"),
                CONSTRAINT "PK_7e4a9d66fdf160a9fb9d236150f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user"
            ADD "openid" character varying(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD "pay_provider" character varying(16)
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD "transaction_id" character varying(64)
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis"
            ADD "paid_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            CREATE INDEX "ix_app_user_openid" ON "app_user" ("openid")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ix_app_user_openid"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP COLUMN "paid_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP COLUMN "transaction_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "diagnosis" DROP COLUMN "pay_provider"
        `);
    await queryRunner.query(`
            ALTER TABLE "app_user" DROP COLUMN "openid"
        `);
    await queryRunner.query(`
            DROP TABLE "payment_event"
        `);
  }
}
