import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the benchmark asked for (docs/performance.md), each serving a statement of a hot screen at full volume:
 * - open clinics (`status = 1 AND ends_at > now()`): the count of every `/project` page, answered from the index
 *   alone instead of a scan of a year of clinics; with the department first, the count of a department filter;
 * - listed doctors (`type = 2 AND is_verify = 1`): the `/doctor/list` page and count, which otherwise read the
 *   whole (phone hash, type) index to find doctors among every account.
 */
export class PerformanceIndexes1763900600000 implements MigrationInterface {
  name = 'PerformanceIndexes1763900600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_project_open_ends_at" ON "project" ("ends_at") WHERE status = 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_project_open_departments" ON "project" ("departments", "ends_at") WHERE status = 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_app_user_listed_doctor" ON "app_user" ("id") WHERE type = 2 AND is_verify = 1`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'ix_app_user_listed_doctor',
      'ix_project_open_departments',
      'ix_project_open_ends_at',
    ]) {
      await queryRunner.query(`DROP INDEX "${name}"`);
    }
  }
}
