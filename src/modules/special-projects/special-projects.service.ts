import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import type { Placement } from 'src/modules/news/content-fields';
import { ProjectViewsService } from 'src/modules/projects/project-views.service';
import type { ProjectView } from 'src/modules/projects/project.view';
import { SpecialProject } from './special-project.entity';
import { SpecialProjectState, SpecialProjectView } from './special-project.view';
import { SpecialProjectViewsService } from './special-project-views.service';
import { SpecialProjectsRepository } from './special-projects.repository';

/** The latest event (by its own date and time) first. */
export const SP_NEWEST_FIRST = { startsAt: 'DESC', id: 'DESC' } as const;

/** What the apps read: published special projects and the clinics they group. */
@Injectable()
export class SpecialProjectsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SpecialProjectsRepository,
    private readonly views: SpecialProjectViewsService,
    private readonly projectViews: ProjectViewsService,
  ) {}

  /** 3.5.1 */
  async list(q: PageQuery): Promise<Paged<SpecialProjectView>> {
    const [rows, count] = await this.db.manager.findAndCount(SpecialProject, {
      where: { status: SpecialProjectState.Published },
      order: SP_NEWEST_FIRST,
      skip: q.offset,
      take: q.page_size,
    });
    return paged(await this.views.views(rows), count, q);
  }

  /** A homepage's special projects: that hospital's or organisation's when given, otherwise all. */
  async latest(limit: number, placement: Placement = {}): Promise<SpecialProjectView[]> {
    const where: FindOptionsWhere<SpecialProject> = { status: SpecialProjectState.Published };
    if (placement.hospitalId) where.hospitalId = placement.hospitalId;
    if (placement.orgId) where.orgId = placement.orgId;
    const rows = await this.db.manager.find(SpecialProject, { where, order: SP_NEWEST_FIRST, take: limit });
    return this.views.views(rows);
  }

  /** 3.5.2: the clinics of a published special project, as the caller sees them (2.2.8). */
  async clinics(id: number, q: PageQuery, caller: Principal): Promise<Paged<ProjectView>> {
    const m = this.db.manager;
    if (!(await m.existsBy(SpecialProject, { id, status: SpecialProjectState.Published }))) {
      throw new AppException(ErrorCode.SP_PROJECT_NOT_FOUND);
    }
    const [projects, count] = await this.repo.clinicPage(m, id, q.offset, q.page_size);
    return paged(await this.projectViews.views(projects, caller), count, q);
  }
}
