import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { findLockedOrFail, sentFields } from 'src/common/database/query-helpers';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { isCalendarDate, zonedInstant } from 'src/common/time';
import { AuditService } from 'src/modules/audit/audit.service';
import { assertPlacementExists, changedFields, placementColumn } from 'src/modules/news/content-fields';
import { Project } from 'src/modules/projects/project.entity';
import { toFen } from 'src/modules/projects/projects.service';
import { CreateSpecialProjectDto, UpdateSpecialProjectDto } from './dto/special-project.dto';
import { SpecialProject } from './special-project.entity';
import { AdminSpecialProjectView, SpecialProjectState } from './special-project.view';
import { SpecialProjectViewsService } from './special-project-views.service';
import { SpecialProjectsRepository } from './special-projects.repository';
import { SP_NEWEST_FIRST } from './special-projects.service';

/** The given fields as columns; a null for a required field counts as not given. */
const columnsOf = (dto: UpdateSpecialProjectDto): Partial<SpecialProject> =>
  sentFields({
    date: dto.date ?? undefined,
    begin: dto.begin ?? undefined,
    end: dto.end ?? undefined,
    peopleCount: dto.people_count ?? undefined,
    addr: dto.addr ?? undefined,
    // As Postgres renders numeric(_, 6), so a saved entity answers like one read back.
    lng: dto.lng?.toFixed(6),
    lat: dto.lat?.toFixed(6),
    abstract: dto.abstract ?? undefined,
    photo: dto.photo ?? undefined,
    priceFen: dto.price === undefined || dto.price === null ? undefined : toFen(dto.price),
    serviceTarget: dto.service_target ?? undefined,
    status: dto.status ?? undefined,
    hospitalId: placementColumn(dto.hospital_id),
    orgId: placementColumn(dto.org_id),
  });

/** The event's instants in the platform zone; like a clinic's, its window must be real, ordered and not over. */
function windowOf(date: string, begin: string, end: string): Pick<SpecialProject, 'startsAt' | 'endsAt'> {
  if (!isCalendarDate(date)) {
    throw new AppException(ErrorCode.VALIDATION_FAILED, '参数 date 不正确：不是有效日期', { field: 'date' });
  }
  const startsAt = zonedInstant(date, begin);
  const endsAt = zonedInstant(date, end);
  if (begin >= end || endsAt.getTime() <= Date.now())
    throw new AppException(ErrorCode.SP_PROJECT_TIME_INVALID);
  return { startsAt, endsAt };
}

/** Operators publish special projects and attach clinics to them (§9). Every write is audited in its transaction. */
@Injectable()
export class SpecialProjectsAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SpecialProjectsRepository,
    private readonly views: SpecialProjectViewsService,
    private readonly audit: AuditService,
  ) {}

  /** Every special project, withdrawn ones included. */
  async list(q: PageQuery): Promise<Paged<AdminSpecialProjectView>> {
    const [rows, count] = await this.db.manager.findAndCount(SpecialProject, {
      order: SP_NEWEST_FIRST,
      skip: q.offset,
      take: q.page_size,
    });
    return paged(await this.views.adminViews(rows), count, q);
  }

  async create(operatorId: number, dto: CreateSpecialProjectDto, ip: string) {
    const window = windowOf(dto.date, dto.begin, dto.end);
    const sp = await this.db.transaction(async (m) => {
      await assertPlacementExists(m, { hospitalId: dto.hospital_id, orgId: dto.org_id });
      const saved = await m.save(
        m.create(SpecialProject, {
          photo: '',
          status: SpecialProjectState.Published,
          ...columnsOf(dto),
          ...window,
        }),
      );
      await this.record(m, operatorId, ip, 'sp_project.create', saved.id, {
        date: saved.date,
        begin: saved.begin,
        end: saved.end,
        hospital_id: saved.hospitalId,
        org_id: saved.orgId,
      });
      return saved;
    });
    return this.adminView(sp);
  }

  /** Changes the fields given; a new date or time is checked like a new event's. */
  async update(operatorId: number, id: number, dto: UpdateSpecialProjectDto, ip: string) {
    const updated = await this.db.transaction(async (m) => {
      const sp = await findLockedOrFail(m, SpecialProject, id, ErrorCode.SP_PROJECT_NOT_FOUND);
      const columns = columnsOf(dto);
      // Nothing given, nothing written, nothing to audit.
      if (!Object.keys(columns).length) return sp;
      Object.assign(sp, columns);
      const retimed = columns.date !== undefined || columns.begin !== undefined || columns.end !== undefined;
      const window = retimed ? windowOf(sp.date, sp.begin, sp.end) : {};
      await assertPlacementExists(m, { hospitalId: dto.hospital_id, orgId: dto.org_id });
      await m.update(SpecialProject, { id }, { ...columns, ...window });
      await this.record(m, operatorId, ip, 'sp_project.update', id, { fields: changedFields(columns) });
      return Object.assign(sp, window);
    });
    return this.adminView(updated);
  }

  /** Attaches a clinic; attaching it again changes nothing (and records nothing). */
  attach(operatorId: number, id: number, projectId: number, ip: string) {
    return this.relink(operatorId, id, projectId, ip, 'attach', async (m) => {
      if (!(await m.existsBy(Project, { id: projectId }))) {
        throw new AppException(ErrorCode.LINKED_PROJECT_NOT_FOUND, undefined, { field: 'project_id' });
      }
      return this.repo.attach(m, id, projectId);
    });
  }

  /** Detaches a clinic; one that is not attached is already where the operator wants it. */
  detach(operatorId: number, id: number, projectId: number, ip: string) {
    return this.relink(operatorId, id, projectId, ip, 'detach', (m) => this.repo.detach(m, id, projectId));
  }

  /** With the special project locked, changes one clinic link; audits it only when something changed. */
  private async relink(
    operatorId: number,
    id: number,
    projectId: number,
    ip: string,
    action: 'attach' | 'detach',
    change: (m: EntityManager) => Promise<boolean>,
  ): Promise<AdminSpecialProjectView> {
    const sp = await this.db.transaction(async (m) => {
      const target = await findLockedOrFail(m, SpecialProject, id, ErrorCode.SP_PROJECT_NOT_FOUND);
      if (await change(m)) {
        await this.record(m, operatorId, ip, `sp_project.${action}`, id, { project_id: projectId });
      }
      return target;
    });
    return this.adminView(sp);
  }

  /** Built once the write has committed: its reads run side by side on the pool, outside the transaction. */
  private async adminView(sp: SpecialProject): Promise<AdminSpecialProjectView> {
    const [view] = await this.views.adminViews([sp]);
    return view;
  }

  private record(
    m: EntityManager,
    operatorId: number,
    ip: string,
    action: string,
    targetId: number,
    detail: Record<string, unknown>,
  ) {
    return this.audit.record({ operatorId, action, targetType: 'sp_project', targetId, detail, ip }, m);
  }
}
