import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { containsPattern } from 'src/common/database/query-helpers';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { PageQuery, Paged, paged } from 'src/common/http/pagination';
import { MemberState, OrgMember } from 'src/modules/orgs/org-member.entity';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { UserView } from 'src/modules/users/user.view';
import { DoctorListQuery, DoctorSort } from './dto/doctor-list.dto';

/** Only verified doctors are shown in lists and may be followed: pending ones are unchecked, disabled ones withdrawn. */
export const isListedDoctor = (u: User): boolean =>
  u.type === UserType.Doctor && u.isVerify === VerifyState.Active;

/** `keyword` is literal text: `%` and `_` match themselves (backslash is ILIKE's default escape). */

/** Adds joins, filters and leading sort keys to the listed-doctors query (alias `u`, hospital `h`). */
export type DoctorScope = (qb: SelectQueryBuilder<User>) => void;

@Injectable()
export class DoctorsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: UserViewsService,
  ) {}

  /**
   * A page of listed doctors as seed 2.2.4 objects, masked (these lists show other people). Four queries
   * whatever the page size: the page, its count, then the batched views (skipped for an empty page).
   */
  async page(q: PageQuery, scope: DoctorScope): Promise<Paged<UserView>> {
    const qb = this.db.manager
      .createQueryBuilder(User, 'u')
      .leftJoinAndSelect('u.hospital', 'h')
      .where('u.type = :doctor AND u.is_verify = :active', {
        doctor: UserType.Doctor,
        active: VerifyState.Active,
      });
    scope(qb);
    // Every join is to-one, so plain OFFSET/LIMIT pages correctly; skip/take would add a DISTINCT pre-query
    // that cannot order by the joined sort keys.
    const [users, count] = await qb
      .addOrderBy('u.id', 'DESC')
      .offset(q.offset)
      .limit(q.page_size)
      .getManyAndCount();
    return paged(await this.views.views(users, () => false), count, q);
  }

  /** 3.3.9 the directory: filters combine with AND; newest doctors first unless sorted by score or patients. */
  list(q: DoctorListQuery): Promise<Paged<UserView>> {
    return this.page(q, (qb) => {
      if (q.keyword) {
        qb.andWhere('(u.real_name ILIKE :like OR h.name ILIKE :like OR u.good_at ILIKE :like)', {
          like: containsPattern(q.keyword),
        });
      }
      if (q.departments) qb.andWhere('u.departments = :departments', { departments: q.departments });
      if (q.job_position) qb.andWhere('u.job_position = :jobPosition', { jobPosition: q.job_position });
      if (q.hospital_id !== undefined)
        qb.andWhere('u.hospital_id = :hospitalId', { hospitalId: q.hospital_id });
      if (q.org_id !== undefined) {
        const members = qb
          .subQuery()
          .select('1')
          .from(OrgMember, 'm')
          .where('m.doctor_id = u.id AND m.org_id = :orgId AND m.verify_status = :approved')
          .getQuery();
        qb.andWhere(`EXISTS ${members}`, { orgId: q.org_id, approved: MemberState.Approved });
      }
      if (q.sort !== undefined) {
        // No stat row means zero: without COALESCE those doctors would sort first (NULLs are largest). A lookup
        // per listed doctor (primary key) rather than a join, which the planner answers by hashing every account's
        // counters, patients' included.
        const key = q.sort === DoctorSort.Score ? 'score' : 'patient_count';
        qb.addOrderBy(`COALESCE((SELECT s.${key} FROM user_stat s WHERE s.user_id = u.id), 0)`, 'DESC');
      }
    });
  }
}
