import { DataSource } from 'typeorm';
import { dataSourceOptions } from 'src/database/data-source';
import { createSuiteDatabase, dropDatabase } from '../support/db';

describe('migrations and entities', () => {
  let url: string;
  let ds: DataSource;
  beforeAll(async () => {
    url = await createSuiteDatabase();
    ds = await new DataSource(dataSourceOptions(url)).initialize();
  });
  afterAll(async () => {
    await ds.destroy();
    await dropDatabase(url);
  });

  it('agree: generating a migration from the entities would produce nothing', async () => {
    const pending = await ds.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('load the GB/T 2260 regions with short names and pinyin', async () => {
    const [counts] = await ds.query<
      { provinces: number; counties: number; blank: number }[]
    >(`SELECT count(*) FILTER (WHERE level = 1)::int AS provinces, count(*) FILTER (WHERE level = 3)::int AS counties,
              count(*) FILTER (WHERE pinyin = '' OR short_name = '')::int AS blank FROM region`);
    expect(counts).toEqual({ provinces: 31, counties: expect.any(Number) as number, blank: 0 });
    expect(counts.counties).toBeGreaterThan(2800);
  });
});
