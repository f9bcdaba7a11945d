import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BookingState, Diagnosis, VisitState } from 'src/modules/diagnoses/diagnosis.entity';
import { MemberState } from 'src/modules/orgs/org-member.entity';
import { Project, ProjectState } from 'src/modules/projects/project.entity';

/** Which upcoming clinics a homepage shows; the filters combine with AND. */
export interface ClinicScope {
  doctorId?: number;
  hospitalId?: number;
  /** Clinics of the organisation's approved members. */
  orgId?: number;
}

/** The homepages' own reads of clinics and bookings, each one statement. */
@Injectable()
export class HomepagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Published clinics not over yet (those under way included), the soonest first. */
  upcomingClinics(scope: ClinicScope, limit: number): Promise<Project[]> {
    const qb = this.db.manager
      .createQueryBuilder(Project, 'p')
      // A clinic lies within one day, so one not over yet started less than a day ago: the bound lets
      // ix_project_starts_at begin near now instead of walking every past clinic.
      .where('p.status = :published AND p.ends_at > :now AND p.starts_at > :dayAgo', {
        published: ProjectState.Published,
        now: new Date(),
        dayAgo: new Date(Date.now() - 24 * 60 * 60 * 1000),
      })
      .orderBy('p.starts_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit);
    if (scope.doctorId) qb.andWhere('p.doctor_id = :doctorId', { doctorId: scope.doctorId });
    if (scope.hospitalId) qb.andWhere('p.hospital_id = :hospitalId', { hospitalId: scope.hospitalId });
    if (scope.orgId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM org_member m
                 WHERE m.doctor_id = p.doctor_id AND m.org_id = :orgId AND m.verify_status = :approved)`,
        { orgId: scope.orgId, approved: MemberState.Approved },
      );
    }
    return qb.getMany();
  }

  /**
   * The doctor's booked patients still waiting to be seen, the earliest visit first, with patient and slot.
   * Both joins are to-one, so LIMIT counts bookings (take() would add a DISTINCT pre-query).
   */
  waitingBookings(doctorId: number, limit: number): Promise<Diagnosis[]> {
    return this.db.manager
      .createQueryBuilder(Diagnosis, 'd')
      .innerJoinAndSelect('d.user', 'u')
      .innerJoinAndSelect('d.slot', 's')
      .where('d.doctor_user_id = :doctorId AND d.verify_status = :booked AND d.status = :waiting', {
        doctorId,
        booked: BookingState.Booked,
        waiting: VisitState.Waiting,
      })
      .orderBy('d.visit_time', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .limit(limit)
      .getMany();
  }
}
