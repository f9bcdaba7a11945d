import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { redactPersonalData } from 'src/common/crypto/redaction';
import { AppException } from 'src/common/errors/app.exception';
import { ERROR_TABLE, ErrorCode } from 'src/common/errors/error-codes';
import { JobsService } from 'src/common/jobs/jobs.service';
import { formatDateTime } from 'src/common/time';
import { AppConfig } from 'src/config/app-config';
import { H91160_PARTNER, H91160Client, H91160Department, H91160Unit } from './h91160.client';
import { H91160SyncState } from './h91160-sync-state.entity';

export const H91160_SYNC_JOB = 'h91160.sync-hospitals';
/** Session advisory lock held for a whole run: two runs never overlap, and a killed process releases it. */
const SYNC_LOCK: [number, number] = [91160, 1];
const STATE_ID = 1;

interface Upserted {
  created: number;
  updated: number;
}

/** Text cut to a column's length in characters (code points, as varchar counts). */
const clip = (value: string, max: number) => [...value.trim()].slice(0, max).join('');
const regionCode = (code: string) => (/^\d{6}$/.test(code) ? Number(code) : null);

/**
 * Fields a sync writes on hospitals it created: name, level, street address and region follow 91160 on every run.
 * The logo is taken once, on creation; after that it, the banner, tag and coordinates belong to operators
 * (`PUT /admin/hospitals/{id}`). Rows without a 91160 unit id (created by operators) are never touched.
 */
const HOSPITAL_UPSERT = `
  INSERT INTO hospital AS h (h91160_unit_id, name, level, logo, addr, province_id, province_name, city_id,
                             city_name, county_id, county_name)
  SELECT unit_id, name, level, logo, addr, province_id, province_name, city_id, city_name, county_id, county_name
  FROM jsonb_to_recordset($1::jsonb) AS x(unit_id int, name text, level text, logo text, addr text,
       province_id int, province_name text, city_id int, city_name text, county_id int, county_name text)
  ON CONFLICT (h91160_unit_id) DO UPDATE SET
    name = EXCLUDED.name, level = EXCLUDED.level, addr = EXCLUDED.addr,
    province_id = EXCLUDED.province_id, province_name = EXCLUDED.province_name,
    city_id = EXCLUDED.city_id, city_name = EXCLUDED.city_name,
    county_id = EXCLUDED.county_id, county_name = EXCLUDED.county_name, updated_at = now()
  WHERE (h.name, h.level, h.addr, h.province_id, h.city_id, h.county_id)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.level, EXCLUDED.addr, EXCLUDED.province_id, EXCLUDED.city_id,
                          EXCLUDED.county_id)
  RETURNING (xmax = 0) AS inserted`;

const DEPARTMENT_UPSERT = `
  INSERT INTO hospital_department AS d (hospital_id, partner_dep_id, name, intro, class_name, telephone)
  SELECT hospital_id, partner_dep_id, name, intro, class_name, telephone
  FROM jsonb_to_recordset($1::jsonb) AS x(hospital_id int, partner_dep_id int, name text, intro text,
       class_name text, telephone text)
  ON CONFLICT (hospital_id, partner_dep_id) DO UPDATE SET
    name = EXCLUDED.name, intro = EXCLUDED.intro, class_name = EXCLUDED.class_name,
    telephone = EXCLUDED.telephone, updated_at = now()
  WHERE (d.name, d.intro, d.class_name, d.telephone)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.intro, EXCLUDED.class_name, EXCLUDED.telephone)
  RETURNING (xmax = 0) AS inserted`;

/** Rows an upsert inserted and rows it changed (unchanged rows return nothing). */
const tally = (rows: { inserted: boolean }[]): Upserted => ({
  created: rows.filter((r) => r.inserted).length,
  updated: rows.filter((r) => !r.inserted).length,
});

/** The first of each id: a page listing an id twice would make one upsert touch a row twice. */
const uniqueBy = <T>(items: T[], key: (item: T) => number): T[] => [
  ...new Map(items.map((i) => [key(i), i] as const)).values(),
];

export const toSyncStateView = (s: H91160SyncState) => ({
  status: s.status,
  started_at: formatDateTime(s.startedAt),
  finished_at: formatDateTime(s.finishedAt),
  updated_at: formatDateTime(s.updatedAt),
  page_size: s.pageSize,
  next_page: s.nextPage,
  unit_cursor: s.unitCursor,
  dep_page: s.depPage,
  total_units: s.totalUnits,
  pages_done: s.pagesDone,
  hospitals_created: s.hospitalsCreated,
  hospitals_updated: s.hospitalsUpdated,
  departments_created: s.departmentsCreated,
  departments_updated: s.departmentsUpdated,
  resumes: s.resumes,
  last_error: s.lastError,
  last_error_at: formatDateTime(s.lastErrorAt),
});

export type SyncStateView = ReturnType<typeof toSyncStateView>;

/**
 * Copies 91160's units into `hospital` and their departments into `hospital_department`, page by page, upserting
 * by 91160's ids. Progress is written in the same transaction as each page's rows, so a run that stops (the
 * partner failing, the process killed) resumes at that page on the next run — the nightly cron or an operator's
 * `POST /admin/partners/91160/sync` — and re-reading a page changes nothing. Nothing is ever deleted.
 */
@Injectable()
export class H91160SyncService {
  private readonly logger = new Logger('H91160Sync');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: H91160Client,
    private readonly config: AppConfig,
    private readonly jobs: JobsService,
  ) {}

  async state(): Promise<SyncStateView> {
    return toSyncStateView(await this.db.getRepository(H91160SyncState).findOneByOrFail({ id: STATE_ID }));
  }

  /** Queues a run; a run already going on continues and the queued one finds the lock taken and stops. */
  async trigger(): Promise<SyncStateView> {
    if (!this.client.configured) {
      const message = ERROR_TABLE[ErrorCode.PARTNER_NOT_CONFIGURED].message;
      throw new AppException(ErrorCode.PARTNER_NOT_CONFIGURED, `${H91160_PARTNER}：${message}`);
    }
    await this.jobs.send(H91160_SYNC_JOB, {}, { singletonKey: H91160_SYNC_JOB });
    return this.state();
  }

  /** The job: one run, unless another holds the lock. A failed run is left for the next run to resume. */
  async run(): Promise<void> {
    if (!this.client.configured) return;
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        SYNC_LOCK,
      )) as {
        locked: boolean;
      }[];
      if (!locked) {
        this.logger.log('another run holds the lock; this one stops');
        return;
      }
      try {
        await this.runLocked(runner.manager);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, $2)', SYNC_LOCK);
      }
    } finally {
      await runner.release();
    }
  }

  private async runLocked(m: EntityManager): Promise<void> {
    const repo = m.getRepository(H91160SyncState);
    const s = await repo.findOneByOrFail({ id: STATE_ID });
    // `running` here means the run holding it died (the lock is free): it resumes like a failed one.
    if (s.status === 'running' || s.status === 'failed') s.resumes += 1;
    else this.restart(s);
    s.status = 'running';
    await repo.save(s);
    this.logger.log(`run from unit page ${s.nextPage} (page size ${s.pageSize}, resumes ${s.resumes})`);
    try {
      await this.pages(m, s);
      s.status = 'done';
      s.finishedAt = new Date();
      await repo.save(s);
      this.logger.log(
        `done: hospitals +${s.hospitalsCreated} ~${s.hospitalsUpdated}, departments +${s.departmentsCreated} ~${s.departmentsUpdated}`,
      );
    } catch (err) {
      const message = clip(redactPersonalData(String((err as Error)?.message ?? err)), 500);
      this.logger.warn(`stopped at unit page ${s.nextPage}: ${message}`);
      // Only the outcome: the progress in the row is what the last committed page wrote.
      await repo.update(STATE_ID, { status: 'failed', lastError: message, lastErrorAt: new Date() });
    }
  }

  private restart(s: H91160SyncState): void {
    Object.assign(s, {
      nextPage: 1,
      unitCursor: null,
      depPage: 1,
      pageSize: this.config.H91160_SYNC_PAGE_SIZE,
      totalUnits: null,
      pagesDone: 0,
      hospitalsCreated: 0,
      hospitalsUpdated: 0,
      departmentsCreated: 0,
      departmentsUpdated: 0,
      resumes: 0,
      startedAt: new Date(),
      finishedAt: null,
      lastError: '',
      lastErrorAt: null,
    });
  }

  private async pages(m: EntityManager, s: H91160SyncState): Promise<void> {
    for (;;) {
      const page = await this.client.unitList(s.nextPage, s.pageSize);
      const units = uniqueBy(page.list, (u) => u.unitId);
      const hospitalIds = await m.transaction(async (tx) => {
        const counts = await this.upsertHospitals(tx, units);
        s.hospitalsCreated += counts.created;
        s.hospitalsUpdated += counts.updated;
        s.totalUnits = page.total;
        await tx.save(s);
        return this.hospitalIds(tx, units);
      });
      // Within the page, units before the cursor have all their departments already.
      const from = Math.max(
        0,
        units.findIndex((u) => u.unitId === s.unitCursor),
      );
      for (const unit of units.slice(from)) {
        if (s.unitCursor !== unit.unitId) Object.assign(s, { unitCursor: unit.unitId, depPage: 1 });
        await this.departments(m, s, unit.unitId, hospitalIds.get(unit.unitId) as number);
      }
      const last = units.length < s.pageSize || s.nextPage * s.pageSize >= page.total;
      Object.assign(s, {
        nextPage: s.nextPage + 1,
        unitCursor: null,
        depPage: 1,
        pagesDone: s.pagesDone + 1,
      });
      await m.getRepository(H91160SyncState).save(s);
      if (last) return;
    }
  }

  private async departments(m: EntityManager, s: H91160SyncState, unitId: number, hospitalId: number) {
    for (;;) {
      const page = await this.client.depList(unitId, s.depPage, s.pageSize);
      const deps = uniqueBy(page.list, (d) => d.depId);
      await m.transaction(async (tx) => {
        const counts = await this.upsertDepartments(tx, hospitalId, deps);
        s.departmentsCreated += counts.created;
        s.departmentsUpdated += counts.updated;
        s.depPage += 1;
        await tx.save(s);
      });
      if (deps.length < s.pageSize || (s.depPage - 1) * s.pageSize >= page.total) return;
    }
  }

  private async upsertHospitals(m: EntityManager, units: H91160Unit[]): Promise<Upserted> {
    if (units.length === 0) return { created: 0, updated: 0 };
    const regions = await this.regions(m, units);
    const rows = units.map((u) => ({
      unit_id: u.unitId,
      name: clip(u.unitName, 100),
      level: clip(u.unitLevel, 50),
      logo: /^https?:\/\/\S+$/i.test(u.image) ? clip(u.image, 500) : '',
      addr: clip(u.address, 200),
      ...regions(u),
    }));
    return tally(await m.query<{ inserted: boolean }[]>(HOSPITAL_UPSERT, [JSON.stringify(rows)]));
  }

  /**
   * 91160's province, city and district codes are GB/T 2260: each is kept when our region table has it at the
   * right level under the one before; an unknown code leaves that level (and those below) empty.
   */
  private async regions(m: EntityManager, units: H91160Unit[]) {
    const codes = units.flatMap((u) => [u.provinceCode, u.cityCode, u.areaCode].map(regionCode));
    const known = new Map(
      (
        await m.query<{ id: number; parent_id: number; level: number; name: string }[]>(
          'SELECT id, parent_id, level, name FROM region WHERE id = ANY($1::int[])',
          [[...new Set(codes.filter((c): c is number => c !== null))]],
        )
      ).map((r) => [r.id, r]),
    );
    const pick = (code: string, level: number, parent: number | null) => {
      const r = known.get(regionCode(code) ?? 0);
      return r && r.level === level && (parent === null || r.parent_id === parent) ? r : undefined;
    };
    return (u: H91160Unit) => {
      const province = pick(u.provinceCode, 1, null);
      const city = province && pick(u.cityCode, 2, province.id);
      const county = city && pick(u.areaCode, 3, city.id);
      return {
        province_id: province?.id ?? null,
        province_name: province?.name ?? '',
        city_id: city?.id ?? null,
        city_name: city?.name ?? '',
        county_id: county?.id ?? null,
        county_name: county?.name ?? '',
      };
    };
  }

  private async hospitalIds(m: EntityManager, units: H91160Unit[]): Promise<Map<number, number>> {
    const rows = await m.query<{ id: number; unit_id: number }[]>(
      'SELECT id, h91160_unit_id AS unit_id FROM hospital WHERE h91160_unit_id = ANY($1::int[])',
      [units.map((u) => u.unitId)],
    );
    return new Map(rows.map((r) => [r.unit_id, r.id]));
  }

  private async upsertDepartments(
    m: EntityManager,
    hospitalId: number,
    deps: H91160Department[],
  ): Promise<Upserted> {
    if (deps.length === 0) return { created: 0, updated: 0 };
    const rows = deps.map((d) => ({
      hospital_id: hospitalId,
      partner_dep_id: d.depId,
      name: clip(d.depName, 100),
      intro: clip(d.depIntro, 5000),
      class_name: clip(d.depClassName, 100),
      telephone: clip(d.telephone, 50),
    }));
    return tally(await m.query<{ inserted: boolean }[]>(DEPARTMENT_UPSERT, [JSON.stringify(rows)]));
  }
}
