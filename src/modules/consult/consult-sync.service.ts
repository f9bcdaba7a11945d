import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, EntitySubscriberInterface, UpdateEvent } from 'typeorm';
import { JobsService } from 'src/common/jobs/jobs.service';
import { LinkingcloudClient } from 'src/integrations/linkingcloud/linkingcloud.client';
import { LcScheduling, LcTimeRange, WEEKDAY_LISTS } from 'src/integrations/linkingcloud/linkingcloud.types';
import { AuditService } from 'src/modules/audit/audit.service';
import { User, UserType, WorkTimeSlot } from 'src/modules/users/user.entity';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { ConsultDoctorLink } from './consult-doctor-link.entity';
import { lcOpenid } from './consult.partner';
import { LinkDoctorDto } from './dto/consult.dto';

export const PUSH_SCHEDULING_JOB = 'consult.push-scheduling';
export const UPLOAD_PATIENT_JOB = 'consult.upload-patient';
const SYNC_RETRY = { retryLimit: 8, retryDelay: 5, retryBackoff: true };

/** The hours a `work_time` half-day stands for (the profile only says morning / afternoon). */
const HALF_DAYS: Record<keyof WorkTimeSlot, LcTimeRange> = {
  morning: { begintime: '08:00', endtime: '12:00' },
  afternoon: { begintime: '14:00', endtime: '18:00' },
};

/** 3.6 body from a doctor's seven `{morning, afternoon}` (Monday first); no work_time means no hours. */
export function schedulingOf(link: ConsultDoctorLink, workTime: WorkTimeSlot[] | null): LcScheduling {
  const lists = WEEKDAY_LISTS.map((list, day) => {
    const slot = workTime?.[day];
    const ranges = (['morning', 'afternoon'] as const)
      .filter((half) => slot?.[half])
      .map((h) => HALF_DAYS[h]);
    return [list, ranges];
  });
  return {
    doctor_id: link.lcDoctorId,
    service_id: link.lcServiceId,
    is_full_day: '0',
    ...(Object.fromEntries(lists) as Pick<LcScheduling, (typeof WEEKDAY_LISTS)[number]>),
  };
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A field the save did not set (a partial entity) counts as unchanged. */
const changed = <K extends keyof User>(before: User, after: Partial<User>, key: K) =>
  after[key] !== undefined && !sameJson(before[key], after[key]);

/**
 * Keeps 联空医问 in step with our accounts: a doctor's `work_time` (`lc.ask.update.scheduling`, for doctors
 * linked to a partner doctor) and a patient's name, avatar and phone (`lc.ask.upload.user`). It listens to
 * `app_user` saves, so the job is enqueued in the very transaction that changes the profile, whichever service
 * saves it. Jobs carry only the account id and send what the account holds when they run.
 */
@Injectable()
export class ConsultSyncService implements OnModuleInit, EntitySubscriberInterface<User> {
  private readonly logger = new Logger('Consult');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: LinkingcloudClient,
    private readonly jobs: JobsService,
    private readonly audit: AuditService,
  ) {
    db.subscribers.push(this);
  }

  onModuleInit(): void {
    this.jobs.register<{ userId: number }>(
      PUSH_SCHEDULING_JOB,
      (job) => this.pushScheduling(job.userId),
      SYNC_RETRY,
    );
    this.jobs.register<{ userId: number }>(
      UPLOAD_PATIENT_JOB,
      (job) => this.uploadPatient(job.userId),
      SYNC_RETRY,
    );
  }

  listenTo() {
    return User;
  }

  /** Entity saves only: query-builder updates carry neither the previous row nor the account id. */
  async afterUpdate(event: UpdateEvent<User>): Promise<void> {
    const before = event.databaseEntity;
    const after = event.entity as Partial<User> | undefined;
    if (!this.client.configured || !before || !after) return;
    if (before.type === UserType.Doctor && changed(before, after, 'workTime'))
      await this.enqueue(event.manager, PUSH_SCHEDULING_JOB, before.id);
    if (
      before.type === UserType.Patient &&
      (['realName', 'avatars', 'phone'] as const).some((key) => changed(before, after, key))
    )
      await this.enqueue(event.manager, UPLOAD_PATIENT_JOB, before.id);
  }

  /** Operators link one of our doctors to a 联空医问 doctor and service; the hours are pushed right away. */
  async link(operatorId: number, userId: number, dto: LinkDoctorDto, ip: string) {
    return this.db.transaction(async (m) => {
      if (!(await m.existsBy(User, { id: userId, type: UserType.Doctor })))
        throw new AppException(ErrorCode.CONSULT_DOCTOR_ACCOUNT_NOT_FOUND);
      await m.upsert(
        ConsultDoctorLink,
        { userId, lcDoctorId: dto.lc_doctor_id, lcServiceId: dto.lc_service_id },
        ['userId'],
      );
      await this.audit.record(
        {
          operatorId,
          action: 'consult.link_doctor',
          targetType: 'user',
          targetId: userId,
          detail: { ...dto },
          ip,
        },
        m,
      );
      if (this.client.configured) await this.enqueue(m, PUSH_SCHEDULING_JOB, userId);
      return { user_id: userId, lc_doctor_id: dto.lc_doctor_id, lc_service_id: dto.lc_service_id };
    });
  }

  /** One waiting job per account and kind is enough: it sends the latest values when it runs. */
  private enqueue(manager: EntityManager, job: string, userId: number) {
    return this.jobs.send(job, { userId }, { manager, singletonKey: String(userId) });
  }

  private async pushScheduling(userId: number): Promise<void> {
    const link = await this.db.getRepository(ConsultDoctorLink).findOneBy({ userId });
    const doctor = await this.db.getRepository(User).findOneBy({ id: userId, type: UserType.Doctor });
    if (!link || !doctor) {
      this.logger.debug(`doctor ${userId} has no 联空医问 link: hours not pushed`);
      return;
    }
    await this.client.updateScheduling(schedulingOf(link, doctor.workTime));
  }

  private async uploadPatient(userId: number): Promise<void> {
    const patient = await this.db.getRepository(User).findOneBy({ id: userId, type: UserType.Patient });
    if (!patient) return;
    await this.client.uploadUser({
      openid: lcOpenid(patient.id),
      patient_nickname: patient.realName,
      patient_avatar: patient.avatars,
      patient_tel: patient.phone,
    });
  }
}
