import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, Paged, paged } from 'src/common/http/pagination';
import { BookingState, Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { DiagnosisViewsService } from 'src/modules/diagnoses/diagnosis-views.service';
import type { DiagnosisView } from 'src/modules/diagnoses/diagnosis.view';
import { BookingService, JoinResult } from 'src/modules/projects/booking.service';
import { ProjectViewsService } from 'src/modules/projects/project-views.service';
import type { ProjectView } from 'src/modules/projects/project.view';
import { Project } from 'src/modules/projects/project.entity';
import { ProjectsService } from 'src/modules/projects/projects.service';
import type { User } from 'src/modules/users/user.entity';
import { AssistantPatientsService } from './assistant-patients.service';
import { AssistantJoinDto, DEFAULT_CASEBOOK } from './dto/assistant.dto';

const ACTIVE = [BookingState.AwaitingPayment, BookingState.Booked];

/**
 * Bookings an assistant makes for their patients (3.4.7–3.4.10). Joining and cancelling go through the projects
 * module's BookingService, so every booking rule (seats, deadlines, one active booking per patient) holds for
 * assistants exactly as for patients.
 */
@Injectable()
export class AssistantBookingsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly patients: AssistantPatientsService,
    private readonly bookings: BookingService,
    private readonly projects: ProjectsService,
    private readonly projectViews: ProjectViewsService,
    private readonly diagnosisViews: DiagnosisViewsService,
  ) {}

  /** 3.4.7: books a slot for one of the assistant's patients. */
  async join(assistant: User, projectId: number, dto: AssistantJoinDto): Promise<JoinResult> {
    const patient = await this.patients.boundPatient(assistant.id, dto.user_id);
    return this.bookings.join(
      patient,
      projectId,
      { content: dto.content || DEFAULT_CASEBOOK, photo: dto.photo, plan_time: dto.plan_time },
      assistant.id,
    );
  }

  /** 3.4.8: clinics where the assistant booked someone (any state), the latest booking first. */
  async clinics(caller: Principal & { user: User }, q: PageQuery): Promise<Paged<ProjectView>> {
    const qb = this.db.manager
      .createQueryBuilder(Project, 'p')
      .innerJoin(
        (sub) =>
          sub
            .select('d.project_id', 'project_id')
            .addSelect('MAX(d.id)', 'last_booking_id')
            .from(Diagnosis, 'd')
            .where('d.assistant_user_id = :assistantId')
            .groupBy('d.project_id'),
        'mine',
        'mine.project_id = p.id',
      )
      .setParameter('assistantId', caller.user.id)
      .orderBy('mine.last_booking_id', 'DESC');
    // One row per clinic (the subquery is grouped by it), so plain OFFSET/LIMIT pages correctly.
    const [projects, count] = await Promise.all([
      qb.clone().offset(q.offset).limit(q.page_size).getMany(),
      qb.getCount(),
    ]);
    return paged(await this.projectViews.views(projects, caller), count, q);
  }

  /** 3.4.9: the bookings the assistant made in one clinic, in slot order. */
  async bookingsIn(assistant: User, projectId: number, q: PageQuery): Promise<Paged<DiagnosisView>> {
    const [exists, bound] = await Promise.all([
      this.db.manager.existsBy(Project, { id: projectId }),
      this.patients.boundInClinic(assistant.id, projectId),
    ]);
    if (!exists) throw new AppException(ErrorCode.PROJECT_NOT_FOUND);
    const qb = this.diagnosisViews
      .query()
      .where('d.project_id = :projectId AND d.assistant_user_id = :assistantId', {
        projectId,
        assistantId: assistant.id,
      })
      .orderBy('d.visit_time', 'ASC')
      .addOrderBy('d.id', 'ASC');
    // The assistant wrote these casebooks; full phone and ID number only while the patient is bound (DESIGN §2).
    return this.diagnosisViews.page(q, qb, { reveal: (patient) => bound.has(patient.id), casebook: true });
  }

  /**
   * 3.4.10: cancels an active booking the assistant may manage (one they made, or of a patient bound to them),
   * before the deadline. Anyone else's booking is "not found", never data.
   */
  async cancel(assistant: User, diagnosisId: number): Promise<void> {
    const found = await this.db.manager.findOne(Diagnosis, {
      select: { id: true, projectId: true, userId: true, assistantUserId: true },
      where: { id: diagnosisId },
    });
    if (!found || !(await this.mayManage(assistant.id, found))) {
      throw new AppException(ErrorCode.DIAGNOSIS_NOT_FOUND);
    }
    await this.db.transaction(async (m) => {
      // The project first, then the booking: the lock order every change of a booking keeps.
      await this.projects.lock(m, found.projectId, 'pessimistic_write');
      const booking = await m.findOneOrFail(Diagnosis, {
        where: { id: diagnosisId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ACTIVE.includes(booking.verifyStatus)) throw new AppException(ErrorCode.BOOKING_STATE_INVALID);
      await this.bookings.cancelBooking(m, booking);
    });
  }

  /** A booking the assistant made, or one of a patient bound to them (the patient may have booked it). */
  private async mayManage(assistantId: number, booking: Diagnosis): Promise<boolean> {
    return booking.assistantUserId === assistantId || this.patients.isBound(assistantId, booking.userId);
  }
}
