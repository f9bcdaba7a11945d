import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { PageQuery, Paged, paged } from 'src/common/http/pagination';
import type { User } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { Diagnosis } from './diagnosis.entity';
import { DiagnosisView, LoadedDiagnosis, toDiagnosisView } from './diagnosis.view';

export interface DiagnosisViewOptions {
  /** Whose phone and ID number `user_info` shows in full (DESIGN §2); everyone else's are masked. */
  reveal: (patient: User) => boolean;
  /** Public lists leave the patient's medical notes out (`casebook_info` null). */
  casebook: boolean;
}

/** What a booking's reader sees: the patient's own data in full only to that patient and to operators. */
export const shownTo = (viewer: number | 'operator'): DiagnosisViewOptions => ({
  reveal: (patient) => viewer === 'operator' || patient.id === viewer,
  casebook: true,
});

/** Other people's bookings shown in public (a doctor's ratings): masked, without casebooks. */
export const PUBLIC_VIEW: DiagnosisViewOptions = { reveal: () => false, casebook: false };

/**
 * Builds 2.2.9 objects for any number of bookings with a fixed number of queries: the bookings come with their
 * patient, casebook, slot and clinic joined (`query()`), and the patients' figures are read in one batch.
 */
@Injectable()
export class DiagnosisViewsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UserViewsService,
  ) {}

  /**
   * Bookings (`d`) joined to their patient (`u`), casebook (`c`), slot (`s`) and clinic (`p`). Every join is
   * to-one, so callers may filter, order and page it with plain OFFSET/LIMIT.
   */
  query(): SelectQueryBuilder<Diagnosis> {
    return this.db.manager
      .createQueryBuilder(Diagnosis, 'd')
      .innerJoinAndSelect('d.user', 'u')
      .innerJoinAndSelect('d.casebook', 'c')
      .innerJoinAndSelect('d.slot', 's')
      .innerJoinAndSelect('d.project', 'p');
  }

  /** Rows of `query()`, typed with the relations it joined. */
  async many(qb: SelectQueryBuilder<Diagnosis>): Promise<LoadedDiagnosis[]> {
    return (await qb.getMany()) as LoadedDiagnosis[];
  }

  async one(qb: SelectQueryBuilder<Diagnosis>): Promise<LoadedDiagnosis | null> {
    return (await qb.getOne()) as LoadedDiagnosis | null;
  }

  async views(rows: LoadedDiagnosis[], options: DiagnosisViewOptions): Promise<DiagnosisView[]> {
    const patients = await this.users.views(
      rows.map((d) => d.user),
      options.reveal,
    );
    return rows.map((d, i) => toDiagnosisView(d, patients[i], options.casebook));
  }

  /** A page of `query()` (filtered and ordered) as 2.2.9 objects: the page, its count and the patients' figures. */
  async page(
    q: PageQuery,
    qb: SelectQueryBuilder<Diagnosis>,
    options: DiagnosisViewOptions,
  ): Promise<Paged<DiagnosisView>> {
    const [rows, count] = await qb.offset(q.offset).limit(q.page_size).getManyAndCount();
    return paged(await this.views(rows as LoadedDiagnosis[], options), count, q);
  }
}
