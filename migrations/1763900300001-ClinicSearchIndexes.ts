import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the public clinic list: keyword, service target, and its two orderings. */
export class ClinicSearchIndexes1763900300001 implements MigrationInterface {
  name = 'ClinicSearchIndexes1763900300001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_project_addr_trgm" ON "project" USING gin ("addr" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_project_abstract_trgm" ON "project" USING gin ("abstract" gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_project_service_target" ON "project" USING gin ("service_target" jsonb_path_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_project_published_newest" ON "project" ("created_at" DESC, "id" DESC) WHERE status = 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_project_published_most_booked" ON "project" ("join_people_count" DESC, "id" DESC) WHERE status = 1`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'ix_project_published_most_booked',
      'ix_project_published_newest',
      'ix_project_service_target',
      'ix_project_abstract_trgm',
      'ix_project_addr_trgm',
    ]) {
      await queryRunner.query(`DROP INDEX "${name}"`);
    }
  }
}
