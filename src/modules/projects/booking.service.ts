import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, LessThanOrEqual, Not, QueryFailedError } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { today } from 'src/common/time';
import { MessagesService } from 'src/modules/messages/messages.service';
import { User } from 'src/modules/users/user.entity';
import { UserStatsService } from 'src/modules/users/user-stats.service';
import { Casebook } from 'src/modules/diagnoses/casebook.entity';
import { BookingState, Diagnosis, VisitState } from 'src/modules/diagnoses/diagnosis.entity';
import { yuanText } from 'src/modules/diagnoses/diagnosis.view';
import type { PrepayResult } from 'src/modules/payments/payment-provider';
import { PaymentsService } from 'src/modules/payments/payments.service';
import { DiagnosisResultDto, DoctorCommentDto, JoinProjectDto, PatientCommentDto } from './dto/booking.dto';
import { ProjectSlot } from './project-slot.entity';
import { Project, ProjectState } from './project.entity';
import { beforeDeadline, slotStart } from './project.view';
import { ProjectsService } from './projects.service';
import { slotLabel } from './slots';

const ACTIVE = [BookingState.AwaitingPayment, BookingState.Booked];
/** Advisory-lock namespace for an assistant's help count. */
const HELP_LOCK = 727_101;
/** Namespace of the per-doctor advisory lock `markSeen` takes (two-key form, apart from the single-key ones). */
const SEEN_LOCK = 727003;

function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';
}

/** A join's outcome: the booking, and for a priced clinic the order the app pays. */
export interface JoinResult {
  booking: Diagnosis;
  order: (PrepayResult & { sn: string }) | null;
}

/** The join's `data`: `{}` for a free clinic; `{sn, amount, pay}` (the provider's payment params) for a priced one. */
export function joinResponse({ booking, order }: JoinResult) {
  if (!order) return {};
  return { sn: order.sn, amount: yuanText(booking.amountFen), pay: order.params };
}

const minutesBetween = (begin: string, end: string) => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  return m(end) - m(begin);
};

/**
 * Every change of a booking's state (DESIGN §6), each in one transaction that also moves the seats, the
 * profile counters and sends the patient a personal message. Locks are always taken project first, then
 * slot, so concurrent changes queue instead of deadlocking.
 */
@Injectable()
export class BookingService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly stats: UserStatsService,
    private readonly messages: MessagesService,
    private readonly payments: PaymentsService,
  ) {}

  /**
   * Books a seat of the slot named by `plan_time` for the patient (or, with `assistantId`, on their behalf).
   * The seat is taken by one conditional UPDATE, so the slot's count can never go below zero.
   */
  async join(
    patient: User,
    projectId: number,
    dto: JoinProjectDto,
    assistantId: number | null = null,
  ): Promise<JoinResult> {
    if (!patient.realName || !patient.idno) throw new AppException(ErrorCode.PATIENT_PROFILE_INCOMPLETE);
    // A full slot is refused before queueing for the project's lock: under a stampede the refusals stay cheap.
    // A stale read can only refuse a seat freed a moment ago; a seat is never taken without the lock below.
    const [begin, end] = dto.plan_time.split(' - ');
    const seen = await this.db.manager.findOne(ProjectSlot, { where: { projectId, begin, end } });
    if (seen && seen.remaining === 0) throw new AppException(ErrorCode.SLOT_FULL);
    try {
      return await this.db.transaction(async (m) => {
        const project = await this.projects.lock(m, projectId, 'pessimistic_write');
        if (!ProjectsService.isOpen(project)) throw new AppException(ErrorCode.PROJECT_NOT_BOOKABLE);
        const slot = await m.findOne(ProjectSlot, { where: { projectId, begin, end } });
        if (!slot) throw new AppException(ErrorCode.SLOT_NOT_FOUND);
        const visitTime = slotStart(project, slot);
        if (visitTime.getTime() <= Date.now()) throw new AppException(ErrorCode.SLOT_STARTED);
        if (await m.existsBy(Diagnosis, { projectId, userId: patient.id, verifyStatus: In(ACTIVE) })) {
          throw new AppException(ErrorCode.ALREADY_JOINED);
        }
        const [taken] = await m.query<[unknown[], number]>(
          'UPDATE project_slot SET remaining = remaining - 1 WHERE id = $1 AND remaining > 0 RETURNING remaining',
          [slot.id],
        );
        if (!taken.length) throw new AppException(ErrorCode.SLOT_FULL);
        await m.increment(Project, { id: projectId }, 'joinPeopleCount', 1);

        const casebook = await m.save(
          m.create(Casebook, { userId: patient.id, projectId, content: dto.content, photo: dto.photo ?? [] }),
        );
        const paid = project.priceFen > 0;
        const booking = await m.save(
          m.create(Diagnosis, {
            projectId,
            slotId: slot.id,
            userId: patient.id,
            doctorUserId: project.doctorId,
            hospitalId: project.hospitalId,
            assistantUserId: assistantId,
            casebookId: casebook.id,
            verifyStatus: paid ? BookingState.AwaitingPayment : BookingState.Booked,
            visitTime,
            amountFen: project.priceFen,
          }),
        );
        if (!paid) await this.stats.bump(m, patient.id, { joinProjectCount: 1 });
        if (assistantId) await this.countHelp(m, assistantId, patient.id, booking.id);
        await this.notify(
          m,
          booking,
          paid ? '预约待支付' : '预约成功',
          `您已预约 ${project.date} ${slotLabel(slot)} 的义诊。`,
        );
        if (!paid) return { booking, order: null };
        // Whoever books pays: the patient, or the assistant booking on their behalf.
        const payer = assistantId ? await m.findOneByOrFail(User, { id: assistantId }) : patient;
        return { booking, order: await this.payments.openOrder(m, booking, payer) };
      });
    } catch (err) {
      // The partial unique index is the last word on "one active booking per patient per project".
      if (isUniqueViolation(err)) throw new AppException(ErrorCode.ALREADY_JOINED);
      throw err;
    }
  }

  /** 3.3.5: the patient (or their assistant) cancels their active booking of a project, before the deadline. */
  async cancelByPatient(patientId: number, projectId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      await this.projects.lock(m, projectId, 'pessimistic_write');
      const booking = await m.findOne(Diagnosis, {
        where: { projectId, userId: patientId, verifyStatus: In(ACTIVE) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!booking) throw new AppException(ErrorCode.BOOKING_NOT_FOUND);
      await this.cancelBooking(m, booking);
    });
  }

  /** Cancels one booking the caller may manage (checked by the caller), before the deadline. */
  async cancelBooking(m: EntityManager, booking: Diagnosis): Promise<void> {
    if (!beforeDeadline(booking.visitTime, this.config.CANCEL_DEADLINE_MINUTES, Date.now())) {
      throw new AppException(ErrorCode.CANCEL_TOO_LATE);
    }
    await this.end(m, booking, BookingState.Cancelled, '预约已取消', '您的义诊预约已取消。');
  }

  /** 3.2.10: the project's doctor rejects an active booking, with a reason; the seat is freed. */
  async reject(doctorId: number, diagnosisId: number, reason: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const booking = await this.lockOwnBooking(m, doctorId, diagnosisId);
      if (!ACTIVE.includes(booking.verifyStatus) || booking.status !== VisitState.Waiting) {
        throw new AppException(ErrorCode.BOOKING_STATE_INVALID);
      }
      booking.rejectMsg = reason;
      await this.end(m, booking, BookingState.Rejected, '预约被拒绝', `医生拒绝了您的预约：${reason}`);
    });
  }

  /** 3.2.6: the doctor cancels a clinic that has not started; every active booking is cancelled and told. */
  async cancelProject(doctorId: number, projectId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const project = await this.projects.lock(m, projectId, 'pessimistic_write');
      if (project.doctorId !== doctorId) throw new AppException(ErrorCode.PROJECT_NOT_FOUND);
      if (project.status !== ProjectState.Published || project.startsAt.getTime() <= Date.now()) {
        throw new AppException(ErrorCode.PROJECT_NOT_CANCELLABLE);
      }
      await m.update(Project, { id: projectId }, { status: ProjectState.Cancelled });
      const bookings = await m.find(Diagnosis, {
        where: { projectId, verifyStatus: In(ACTIVE) },
        lock: { mode: 'pessimistic_write' },
      });
      for (const b of bookings) {
        await this.end(
          m,
          b,
          BookingState.Cancelled,
          '义诊已取消',
          `医生取消了 ${project.date} 的义诊，您的预约已取消。`,
        );
      }
    });
  }

  /** 3.2.11: the doctor marks a booked patient seen, on or after the clinic's date. */
  async markSeen(doctorId: number, diagnosisId: number): Promise<void> {
    await this.db.transaction(async (m) => {
      const booking = await this.lockOwnBooking(m, doctorId, diagnosisId);
      const project = await m.findOneByOrFail(Project, { id: booking.projectId });
      if (booking.verifyStatus !== BookingState.Booked || booking.status === VisitState.Seen) {
        throw new AppException(ErrorCode.BOOKING_STATE_INVALID);
      }
      if (today() < project.date) throw new AppException(ErrorCode.VISIT_TOO_EARLY);
      // The project lock does not cover the same patient seen at two of the doctor's clinics at once: without
      // this per-doctor lock both would count as the first visit (taken after the project's, as every change does).
      await m.query('SELECT pg_advisory_xact_lock($1, $2)', [SEEN_LOCK, doctorId]);
      const firstWithPatient = !(await m.existsBy(Diagnosis, {
        doctorUserId: doctorId,
        userId: booking.userId,
        status: VisitState.Seen,
      }));
      const firstInProject = !(await m.existsBy(Diagnosis, {
        projectId: project.id,
        status: VisitState.Seen,
      }));
      await m.update(Diagnosis, { id: booking.id }, { status: VisitState.Seen, confirmNoRefund: 0 });
      // A deposit is a promise to come: kept its promise, the patient gets it back (DESIGN §7).
      await this.payments.requestRefund(m, booking, '就诊完成，退还押金');
      await this.stats.bump(m, booking.userId, { doneProjectCount: 1 });
      await this.stats.bump(m, doctorId, {
        patientCount: firstWithPatient ? 1 : 0,
        visitsCount: firstInProject ? 1 : 0,
        serviceMinutes: firstInProject ? minutesBetween(project.begin, project.end) : 0,
      });
      await this.notify(m, booking, '就诊完成', '医生已确认您完成就诊，欢迎为医生评价。');
    });
  }

  /** 3.2.13: the diagnosis result, only by the project's doctor, for a booking seen or being seen. */
  async setResult(doctorId: number, diagnosisId: number, dto: DiagnosisResultDto): Promise<void> {
    await this.db.transaction(async (m) => {
      const booking = await this.lockOwnBooking(m, doctorId, diagnosisId);
      const project = await m.findOneByOrFail(Project, { id: booking.projectId });
      const beingSeen = booking.status === VisitState.Waiting && project.startsAt.getTime() <= Date.now();
      if (
        booking.verifyStatus !== BookingState.Booked ||
        !(booking.status === VisitState.Seen || beingSeen)
      ) {
        throw new AppException(ErrorCode.BOOKING_STATE_INVALID);
      }
      await m.update(
        Diagnosis,
        { id: booking.id },
        { diagResult: dto.diag_result, diagPhoto: dto.diag_photo ?? booking.diagPhoto },
      );
    });
  }

  /** 3.2.12: the doctor rates the patient once, after the visit. */
  async doctorComment(doctorId: number, diagnosisId: number, dto: DoctorCommentDto): Promise<void> {
    await this.db.transaction(async (m) => {
      const booking = await this.lockOwnBooking(m, doctorId, diagnosisId);
      if (booking.status !== VisitState.Seen) throw new AppException(ErrorCode.NOT_SEEN_YET);
      if (booking.doctorCommentTime) throw new AppException(ErrorCode.ALREADY_RATED);
      await m.update(
        Diagnosis,
        { id: booking.id },
        {
          patientCreditScore: dto.patient_credit_score,
          patientPunctualityScore: dto.patient_punctuality_score,
          doctorCommentTime: new Date(),
        },
      );
      await this.stats.bump(m, booking.userId, {
        creditSum: dto.patient_credit_score,
        creditCount: 1,
        punctualitySum: dto.patient_punctuality_score,
        punctualityCount: 1,
      });
    });
  }

  /** 3.3.17: the patient rates the doctor once, after the visit. */
  async patientComment(patientId: number, diagnosisId: number, dto: PatientCommentDto): Promise<void> {
    await this.db.transaction(async (m) => {
      const booking = await m.findOne(Diagnosis, {
        where: { id: diagnosisId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!booking || booking.userId !== patientId) throw new AppException(ErrorCode.DIAGNOSIS_NOT_FOUND);
      if (booking.status !== VisitState.Seen) throw new AppException(ErrorCode.NOT_SEEN_YET);
      if (booking.patientCommentTime) throw new AppException(ErrorCode.ALREADY_RATED);
      await m.update(
        Diagnosis,
        { id: booking.id },
        { doctorScore: dto.doctor_score, doctorComment: dto.doctor_comment, patientCommentTime: new Date() },
      );
      await this.stats.bump(m, booking.doctorUserId, { scoreSum: dto.doctor_score, scoreCount: 1 });
    });
  }

  /**
   * Releases seats held for payment longer than PAYMENT_TIMEOUT_MINUTES: such bookings become cancelled, the
   * seat is freed and the patient told. Idempotent, and safe beside joins and cancellations: each booking is
   * handled in its own transaction under the usual locks (clinic, then booking). Returns how many it released.
   */
  async releaseUnpaidHolds(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.PAYMENT_TIMEOUT_MINUTES * 60_000);
    const stale = await this.db.manager.find(Diagnosis, {
      select: { id: true, projectId: true },
      where: { verifyStatus: BookingState.AwaitingPayment, createdAt: LessThanOrEqual(cutoff) },
    });
    let released = 0;
    for (const { id, projectId } of stale) {
      released += await this.db.transaction(async (m) => {
        await this.projects.lock(m, projectId, 'pessimistic_write');
        const booking = await m.findOne(Diagnosis, { where: { id }, lock: { mode: 'pessimistic_write' } });
        if (booking?.verifyStatus !== BookingState.AwaitingPayment) return 0; // paid or cancelled meanwhile
        await this.end(
          m,
          booking,
          BookingState.Cancelled,
          '预约已失效',
          '押金未在规定时间内支付，座位已释放。',
        );
        await this.payments.closeOrder(m, booking);
        return 1;
      });
    }
    return released;
  }

  /**
   * Turns waiting bookings of clinics that have ended into no-shows (deposits kept). Idempotent: a second
   * run finds nothing left to change. Returns how many bookings changed.
   */
  async markNoShows(now = new Date()): Promise<number> {
    return this.db.transaction(async (m) => {
      // An UPDATE … RETURNING answers [rows, affected count] through TypeORM's Postgres driver, not the rows.
      const [rows] = await m.query<[{ id: number; user_id: number; amount_fen: number }[], number]>(
        `UPDATE diagnosis d SET status = ${VisitState.NoShow}, confirm_no_refund = CASE WHEN d.amount_fen > 0 THEN 1 ELSE 0 END,
                updated_at = now()
         FROM project p
         WHERE p.id = d.project_id AND p.ends_at <= $1 AND d.status = ${VisitState.Waiting} AND d.verify_status = ${BookingState.Booked}
         RETURNING d.id, d.user_id, d.amount_fen`,
        [now],
      );
      for (const r of rows) {
        await this.messages.sendPersonal(
          { userId: r.user_id, title: '未到诊', content: '您预约的义诊已结束，记录为未到诊。' },
          m,
        );
      }
      return rows.length;
    });
  }

  /**
   * `help_count`: distinct patients an assistant has booked for. Counted with the booking, under a per-assistant
   * lock, so two bookings for one patient racing in different clinics count once.
   */
  private async countHelp(
    m: EntityManager,
    assistantId: number,
    patientId: number,
    bookingId: number,
  ): Promise<void> {
    await m.query('SELECT pg_advisory_xact_lock($1, $2)', [HELP_LOCK, assistantId]);
    const helped = await m.existsBy(Diagnosis, {
      assistantUserId: assistantId,
      userId: patientId,
      id: Not(bookingId),
    });
    if (!helped) await this.stats.bump(m, assistantId, { helpCount: 1 });
  }

  /**
   * A booking of one of the doctor's own clinics, locked after its project (the lock order every change
   * keeps); anyone else's booking is "not found", never data.
   */
  private async lockOwnBooking(m: EntityManager, doctorId: number, diagnosisId: number): Promise<Diagnosis> {
    const found = await m.findOne(Diagnosis, { where: { id: diagnosisId } });
    if (!found || found.doctorUserId !== doctorId) throw new AppException(ErrorCode.DIAGNOSIS_NOT_FOUND);
    await this.projects.lock(m, found.projectId, 'pessimistic_write');
    return m.findOneOrFail(Diagnosis, { where: { id: diagnosisId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Ends an active booking (rejected or cancelled): frees its seat, moves counters, tells the patient. */
  private async end(
    m: EntityManager,
    booking: Diagnosis,
    state: BookingState,
    title: string,
    content: string,
  ): Promise<void> {
    await m.update(Diagnosis, { id: booking.id }, { verifyStatus: state, rejectMsg: booking.rejectMsg });
    await m.query('UPDATE project_slot SET remaining = remaining + 1 WHERE id = $1', [booking.slotId]);
    await m.decrement(Project, { id: booking.projectId }, 'joinPeopleCount', 1);
    if (booking.verifyStatus === BookingState.Booked)
      await this.stats.bump(m, booking.userId, { joinProjectCount: -1 });
    // A paid deposit goes back in full (rejected, cancelled by either side); an unpaid hold has nothing to refund.
    await this.payments.requestRefund(m, booking, title);
    await this.notify(m, booking, title, content);
  }

  private notify(m: EntityManager, booking: Diagnosis, title: string, content: string) {
    return this.messages.sendPersonal({ userId: booking.userId, title, content }, m);
  }
}
