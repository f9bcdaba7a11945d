import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, Paged } from 'src/common/http/pagination';
import { Project } from 'src/modules/projects/project.entity';
import { User, UserType } from 'src/modules/users/user.entity';
import { Casebook } from './casebook.entity';
import { DiagnosisViewOptions, DiagnosisViewsService, PUBLIC_VIEW, shownTo } from './diagnosis-views.service';
import { BookingState, Diagnosis, VisitState } from './diagnosis.entity';
import {
  CasebookView,
  DiagnosisView,
  PatientRecordView,
  toCasebookView,
  toPatientRecordView,
} from './diagnosis.view';
import { PatientDiagnosesQuery, PatientListType, VisitStatusQuery } from './dto/diagnosis-list.dto';

type Scope = (qb: SelectQueryBuilder<Diagnosis>) => SelectQueryBuilder<Diagnosis>;

/** 3.3.13 `type` → the condition on the booking (alias `d`). */
const PATIENT_LIST_FILTER: Record<PatientListType, string> = {
  [PatientListType.Booked]: `d.verify_status IN (${BookingState.AwaitingPayment}, ${BookingState.Booked}) AND d.status = ${VisitState.Waiting}`,
  [PatientListType.Failed]: `d.verify_status IN (${BookingState.Rejected}, ${BookingState.Cancelled})`,
  [PatientListType.NoShow]: `d.status = ${VisitState.NoShow}`,
  [PatientListType.Seen]: `d.status = ${VisitState.Seen}`,
};

/** Newest bookings first. */
const newest: Scope = (qb) => qb.orderBy('d.id', 'DESC');
/** Newest ratings first. */
const newestRated: Scope = (qb) =>
  qb
    .andWhere('d.doctor_score IS NOT NULL')
    .orderBy('d.patient_comment_time', 'DESC')
    .addOrderBy('d.id', 'DESC');

/** Its patient, the clinic's doctor, the assistant who booked it, and operators (bound assistants: see `mayRead`). */
function isParty(viewer: Principal, d: Diagnosis): boolean {
  if (viewer.operator) return true;
  const me = viewer.user?.id;
  return me !== undefined && (me === d.userId || me === d.doctorUserId || me === d.assistantUserId);
}

/**
 * Reading bookings (DESIGN §6). A booking is read by its patient, the clinic's doctor, the assistant who booked it
 * or is bound to the patient, and operators; anyone else gets "not found", never data.
 */
@Injectable()
export class DiagnosesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly views: DiagnosisViewsService,
  ) {}

  /** The parties to a booking, and any assistant bound to its patient (DESIGN §6: "that patient's assistants"). */
  private async mayRead(viewer: Principal, d: Diagnosis): Promise<boolean> {
    if (isParty(viewer, d)) return true;
    if (viewer.role !== 'assistant' || !viewer.user) return false;
    const rows = await this.db.query<unknown[]>(
      'SELECT 1 FROM assistant_patient WHERE assistant_id = $1 AND patient_id = $2',
      [viewer.user.id, d.userId],
    );
    return rows.length > 0;
  }

  /** 3.2.9 one booking. */
  async one(viewer: Principal, id: number): Promise<DiagnosisView> {
    const d = await this.views.one(this.views.query().where('d.id = :id', { id }));
    if (!d || !(await this.mayRead(viewer, d))) throw new AppException(ErrorCode.DIAGNOSIS_NOT_FOUND);
    const [view] = await this.views.views([d], shownTo(viewer.user?.id ?? 'operator'));
    return view;
  }

  /** 3.2.7 every booking of one of the doctor's clinics, in slot order; another doctor's clinic is "not found". */
  async ofProject(doctor: User, projectId: number, q: PageQuery): Promise<Paged<DiagnosisView>> {
    const project = await this.db.manager.findOne(Project, {
      select: { id: true, doctorId: true },
      where: { id: projectId },
    });
    if (!project || project.doctorId !== doctor.id) throw new AppException(ErrorCode.PROJECT_NOT_FOUND);
    return this.page(
      q,
      (qb) =>
        qb
          .where('d.project_id = :projectId', { projectId })
          .orderBy('d.visit_time', 'ASC')
          .addOrderBy('d.id', 'ASC'),
      shownTo(doctor.id),
    );
  }

  /** 3.2.8 the booked patients of all the doctor's clinics, by visit state, newest first. */
  doctorPatients(doctor: User, q: VisitStatusQuery): Promise<Paged<DiagnosisView>> {
    return this.page(
      q,
      (qb) => {
        qb.where('d.doctor_user_id = :doctorId AND d.verify_status = :booked', {
          doctorId: doctor.id,
          booked: BookingState.Booked,
        });
        if (q.status !== undefined) qb.andWhere('d.status = :status', { status: q.status });
        return newest(qb);
      },
      shownTo(doctor.id),
    );
  }

  /** 3.2.18 the caller's bookings their patients have rated. */
  ratingsOfMe(doctor: User, q: PageQuery): Promise<Paged<DiagnosisView>> {
    return this.page(
      q,
      (qb) => newestRated(qb.where('d.doctor_user_id = :doctorId', { doctorId: doctor.id })),
      shownTo(doctor.id),
    );
  }

  /** 3.3.6 a doctor's ratings, in public: patients masked, their casebooks left out. */
  async ratingsOf(doctorId: number, q: PageQuery): Promise<Paged<DiagnosisView>> {
    if (!(await this.db.manager.existsBy(User, { id: doctorId, type: UserType.Doctor }))) {
      throw new AppException(ErrorCode.DOCTOR_NOT_FOUND);
    }
    return this.page(
      q,
      (qb) => newestRated(qb.where('d.doctor_user_id = :doctorId', { doctorId })),
      PUBLIC_VIEW,
    );
  }

  /** 3.3.13 the patient's bookings (also those an assistant made for them), newest first. */
  patientBookings(patient: User, q: PatientDiagnosesQuery): Promise<Paged<DiagnosisView>> {
    return this.page(
      q,
      (qb) => {
        qb.where('d.user_id = :patientId', { patientId: patient.id });
        if (q.type !== undefined) qb.andWhere(PATIENT_LIST_FILTER[q.type]);
        return newest(qb);
      },
      shownTo(patient.id),
    );
  }

  /** 3.3.14 visits seen that the patient has not rated yet. */
  toRate(patient: User, q: PageQuery): Promise<Paged<DiagnosisView>> {
    return this.page(
      q,
      (qb) =>
        newest(
          qb.where('d.user_id = :patientId AND d.status = :seen AND d.patient_comment_time IS NULL', {
            patientId: patient.id,
            seen: VisitState.Seen,
          }),
        ),
      shownTo(patient.id),
    );
  }

  /** 3.3.8 the casebook the patient wrote for a clinic: that of their latest booking of it. */
  async casebook(patient: User, projectId: number): Promise<CasebookView> {
    const casebook = await this.db.manager.findOne(Casebook, {
      where: { userId: patient.id, projectId },
      order: { id: 'DESC' },
    });
    if (!casebook) throw new AppException(ErrorCode.CASEBOOK_NOT_FOUND);
    return toCasebookView(casebook);
  }

  /**
   * 3.2.22 the patient's whole history (every booking with any doctor, any state), newest visit first: only for a
   * doctor who has, or had, a booking with that patient. Three queries however long the history.
   */
  async patientRecords(doctor: User, patientId: number): Promise<PatientRecordView[]> {
    const m = this.db.manager;
    if (!(await m.existsBy(Diagnosis, { doctorUserId: doctor.id, userId: patientId }))) {
      throw new AppException(ErrorCode.PATIENT_NOT_TREATED);
    }
    const rows = await this.views.many(
      this.views
        .query()
        .where('d.user_id = :patientId', { patientId })
        .orderBy('d.visit_time', 'DESC')
        .addOrderBy('d.id', 'DESC'),
    );
    const doctors = await m.find(User, {
      select: { id: true, realName: true, avatars: true },
      where: { id: In([...new Set(rows.map((d) => d.doctorUserId))]) },
    });
    const doctorOf = new Map(doctors.map((u) => [u.id, u]));
    return rows.map((d) => toPatientRecordView(d, doctorOf.get(d.doctorUserId)));
  }

  private page(q: PageQuery, scope: Scope, options: DiagnosisViewOptions): Promise<Paged<DiagnosisView>> {
    return this.views.page(q, scope(this.views.query()), options);
  }
}
