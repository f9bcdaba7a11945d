import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { containsPattern } from 'src/common/database/query-helpers';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, Paged, paged } from 'src/common/http/pagination';
import { MemberState } from 'src/modules/orgs/org-member.entity';
import { User, UserType } from 'src/modules/users/user.entity';
import { ProjectListQuery, ProjectSort } from './dto/project-query.dto';
import { ProjectViewsService } from './project-views.service';
import type { ProjectView } from './project.view';
import { Project, ProjectState } from './project.entity';

export interface GeoPoint {
  lng: number;
  lat: number;
}

/** A list entry: the 2.2.8 object, plus the great-circle distance in metres when the caller sent a location. */
export type ProjectListItem = ProjectView & { distance?: number };

const COORD = String.raw`(-?\d{1,3}(?:\.\d+)?)`;
const LOCATION = new RegExp(String.raw`^${COORD}\s*[-,]\s*${COORD}$`);

/**
 * The `X-location` header, `lng-lat` as the seed writes it (`116.397-39.909`), or `lng,lat`. A minus sign
 * after the separator belongs to the latitude (`151.2--33.8`), one in front to the longitude (`-73.9-40.7`).
 * `null` when absent, unreadable or out of range: the list then sorts as if no location had been sent.
 */
export function parseLocation(header: string | undefined): GeoPoint | null {
  const m = LOCATION.exec(header?.trim() ?? '');
  if (!m) return null;
  const lng = Number(m[1]);
  const lat = Number(m[2]);
  return Math.abs(lng) <= 180 && Math.abs(lat) <= 90 ? { lng, lat } : null;
}

/** Written exactly as `ix_project_earth` is defined, so the planner can answer the KNN order from that index. */
const EARTH = 'll_to_earth(p.lat::float8, p.lng::float8)';
const HERE = 'll_to_earth(:hereLat, :hereLng)';

/** `keyword`: the address, the abstract, the doctor's name or the hospital's name contain it (`d`, `h` joined). */
const KEYWORD_MATCH =
  '(p.addr ILIKE :like OR p.abstract ILIKE :like OR d.real_name ILIKE :like OR h.name ILIKE :like)';
/** `service_target`: one of the clinic's groups is exactly it (jsonb containment). */
const SERVES = 'p.service_target @> jsonb_build_array(CAST(:target AS text))';
/** `org_id`: the clinic's doctor is an approved member of the organisation. */
const APPROVED_MEMBER = `EXISTS (SELECT 1 FROM org_member m
  WHERE m.doctor_id = p.doctor_id AND m.org_id = :orgId AND m.verify_status = ${MemberState.Approved})`;

/**
 * The lists of free clinics. Each costs the same queries whatever the page size: the page, its count, then
 * one batched `ProjectViewsService.views` call.
 */
@Injectable()
export class ProjectListsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: ProjectViewsService,
  ) {}

  /** 3.3.2: published clinics that have not ended, filtered (AND) and sorted as asked. */
  list(
    q: ProjectListQuery,
    location: string | undefined,
    caller: Principal,
  ): Promise<Paged<ProjectListItem>> {
    const qb = this.open(q);
    const here = parseLocation(location);
    if (here) {
      qb.addSelect(`ROUND(earth_distance(${EARTH}, ${HERE}))::int`, 'distance').setParameters({
        hereLat: here.lat,
        hereLng: here.lng,
      });
    }
    if (q.sort === ProjectSort.Nearest && here) {
      // The distance operator alone: a second sort key would stop the GiST index from returning rows in order.
      qb.orderBy(`${EARTH} <-> ${HERE}`);
    } else if (q.sort === ProjectSort.MostBooked) {
      qb.orderBy('p.join_people_count', 'DESC').addOrderBy('p.id', 'DESC');
    } else {
      qb.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC');
    }
    return this.page(qb, q, caller);
  }

  /** 3.2.4: the calling doctor's own clinics in every state, cancelled ones included, latest date first. */
  mine(doctorId: number, q: PageQuery, caller: Principal): Promise<Paged<ProjectListItem>> {
    return this.page(this.byDoctor(doctorId), q, caller);
  }

  /** 3.3.11: a doctor's published clinics, past ones included (not cancelled ones), latest date first. */
  async ofDoctor(doctorId: number, q: PageQuery, caller: Principal): Promise<Paged<ProjectListItem>> {
    if (!(await this.db.manager.existsBy(User, { id: doctorId, type: UserType.Doctor }))) {
      throw new AppException(ErrorCode.DOCTOR_NOT_FOUND);
    }
    const qb = this.byDoctor(doctorId).andWhere('p.status = :published', {
      published: ProjectState.Published,
    });
    return this.page(qb, q, caller);
  }

  /** Published clinics that have not ended, narrowed by the 3.3.2 filters. */
  private open(q: ProjectListQuery): SelectQueryBuilder<Project> {
    const qb = this.projects().where('p.status = :published AND p.ends_at > now()', {
      published: ProjectState.Published,
    });
    if (q.keyword) {
      qb.leftJoin('p.doctor', 'd')
        .leftJoin('p.hospital', 'h')
        .andWhere(KEYWORD_MATCH, { like: containsPattern(q.keyword) });
    }
    if (q.service_target) qb.andWhere(SERVES, { target: q.service_target });
    // The doctor's department, as recorded on the clinic when it was published.
    if (q.departments) qb.andWhere('p.departments = :departments', { departments: q.departments });
    if (q.hospital_id !== undefined) {
      qb.andWhere('p.hospital_id = :hospitalId', { hospitalId: q.hospital_id });
    }
    if (q.org_id !== undefined) qb.andWhere(APPROVED_MEMBER, { orgId: q.org_id });
    return qb;
  }

  private projects(): SelectQueryBuilder<Project> {
    return this.db.manager.createQueryBuilder(Project, 'p');
  }

  /** In the order of `ix_project_doctor_date`, then by start time and id so equal dates keep a stable order. */
  private byDoctor(doctorId: number): SelectQueryBuilder<Project> {
    return this.projects()
      .where('p.doctor_id = :doctorId', { doctorId })
      .orderBy('p.date', 'DESC')
      .addOrderBy('p.begin', 'DESC')
      .addOrderBy('p.id', 'DESC');
  }

  /** Every join is to-one, so plain OFFSET/LIMIT pages correctly and each raw row is one clinic. */
  private async page(
    qb: SelectQueryBuilder<Project>,
    q: PageQuery,
    caller: Principal,
  ): Promise<Paged<ProjectListItem>> {
    const [{ entities, raw }, count] = await Promise.all([
      qb.offset(q.offset).limit(q.page_size).getRawAndEntities<{ p_id: number; distance?: number }>(),
      qb.getCount(),
    ]);
    const distanceOf = new Map(raw.map((r) => [r.p_id, r.distance]));
    const views = await this.views.views(entities, caller);
    const list = views.map((view, i): ProjectListItem => {
      const distance = distanceOf.get(entities[i].id);
      return distance === undefined ? view : { ...view, distance };
    });
    return paged(list, count, q);
  }
}
