import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, Not, QueryFailedError } from 'typeorm';
import { containsPattern } from 'src/common/database/query-helpers';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { formatDateTime, zonedInstant } from 'src/common/time';
import { parseResidentId } from 'src/common/validation/resident-id';
import { toPartnerException } from 'src/integrations/partner-http/partner-errors';
import { PartnerCallError } from 'src/integrations/partner-http/partner-call.error';
import type { KeywordPageQuery } from 'src/modules/hospitals/dto/directory.fields';
import { Hospital } from 'src/modules/hospitals/hospital.entity';
import { HospitalView, toHospitalView } from 'src/modules/hospitals/hospital.view';
import { User } from 'src/modules/users/user.entity';
import { H91160Appointment, AppointmentState } from './appointment.entity';
import type { BookAppointmentDto, CancelAppointmentDto, ScheduleQuery } from './dto/appointment.dto';
import { H91160_PARTNER, H91160Client, H91160Doctor, H91160Resource, H91160Schedule } from './h91160.client';
import { HospitalDepartment } from './hospital-department.entity';

/** 91160's `cardType` of a mainland resident ID card (the seed does not list the values; 1 is the usual one). */
const CARD_TYPE_RESIDENT_ID = 1;
const DEFAULT_CANCEL_REASON = '患者取消';

const fen = (yuan: number) => Math.round(yuan * 100);
const yuan = (amount: number) => (amount / 100).toFixed(2);
const free = (r: { resourceMax: number; appointedNum: number }) =>
  Math.max(0, r.resourceMax - r.appointedNum);

/** 91160's `YYYY-MM-DD HH:mm[:ss]` (platform zone) as an instant; null when it is something else. */
function partnerTime(value: string): Date | null {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(value.trim());
  return m ? zonedInstant(m[1], m[2].length === 5 ? `${m[2]}:00` : m[2]) : null;
}

const isUniqueViolation = (err: unknown) =>
  err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';

/**
 * Whether a failed write certainly changed nothing at 91160: nothing was sent, or 91160 refused it (the token, a
 * business refusal, a 4xx). Otherwise (no answer, a broken answer, a 5xx) it may have taken effect.
 */
function hadNoEffect(e: PartnerCallError): boolean {
  if (e.unsent || e.kind === 'auth' || e.kind === 'api') return true;
  return e.kind === 'status' && (e.httpStatus ?? 500) < 500;
}

const toDepartmentView = (d: HospitalDepartment) => ({
  id: d.id,
  hospital_id: d.hospitalId,
  name: d.name,
  intro: d.intro,
  class_name: d.className,
  telephone: d.telephone,
});

/** `sex` in the platform's coding: 1 male, 2 female, 0 unknown (91160 sends 1 male, 0 female). */
const toDoctorView = (d: H91160Doctor) => ({
  doctor_id: d.doctorId,
  name: d.doctorName,
  title: d.doctorTitle,
  avatar: /^https?:\/\//i.test(d.image) ? d.image : '',
  intro: d.detail,
  sex: d.gender === 1 ? 1 : d.gender === 0 ? 2 : 0,
  expertise: d.expertise,
});

const toScheduleView = (s: H91160Schedule) => ({
  schedule_id: s.scheduleId,
  doctor_id: s.doctorId,
  date: s.scheduleDate,
  time_type: s.timeType,
  time_type_desc: s.timeTypeDesc,
  level_name: s.levelName,
  fee: yuan(fen(s.resourceFee)),
  total: s.resourceMax,
  remaining: free(s),
});

const toResourceView = (r: H91160Resource) => ({
  detl_id: r.resourceId,
  schedule_id: r.scheduleId,
  begin_time: r.beginTime,
  end_time: r.endTime,
  fee: yuan(fen(r.resourceFee)),
  remaining: free(r),
});

export const toAppointmentView = (a: H91160Appointment) => ({
  id: a.id,
  state: a.state,
  hospital_id: a.hospitalId,
  hospital_name: a.hospitalName,
  department_id: a.departmentId,
  department_name: a.departmentName,
  doctor_id: a.doctorId,
  schedule_id: a.scheduleId,
  detl_id: a.detlId,
  begin_time: formatDateTime(a.beginTime),
  end_time: formatDateTime(a.endTime),
  fee: yuan(a.fee),
  order_id: a.orderId ?? '',
  his_take_no: a.hisTakeNo ?? '',
  cancel_reason: a.cancelReason,
  cancelled_at: formatDateTime(a.cancelledAt),
  created_at: formatDateTime(a.createdAt),
});

export type AppointmentView = ReturnType<typeof toAppointmentView>;

interface BookingTarget {
  department: HospitalDepartment;
  hospital: Hospital & { h91160UnitId: number };
}

/**
 * Patients' 91160 appointments: the synced hospitals and departments (ours), doctors, schedules and free
 * resources (live from 91160), booking and cancelling. An order is recorded as `unknown` before it is sent, so
 * a lost answer or a crash leaves a row to reconcile rather than nothing; it becomes `booked` or `failed` on
 * 91160's answer, and stays `unknown` when there was none.
 */
@Injectable()
export class AppointmentsService {
  private readonly logger = new Logger('H91160Appointments');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly client: H91160Client,
  ) {}

  async hospitals(q: KeywordPageQuery): Promise<Paged<HospitalView>> {
    const qb = this.db.manager
      .createQueryBuilder(Hospital, 'h')
      .where('h.h91160UnitId IS NOT NULL')
      .orderBy('h.id', 'ASC')
      .skip(q.offset)
      .take(q.page_size);
    if (q.keyword) qb.andWhere('h.name ILIKE :like', { like: containsPattern(q.keyword) });
    const [rows, count] = await qb.getManyAndCount();
    return paged(rows.map(toHospitalView), count, q);
  }

  async departments(hospitalId: number, q: PageQuery): Promise<Paged<ReturnType<typeof toDepartmentView>>> {
    const hospital = await this.db.getRepository(Hospital).findOneBy({ id: hospitalId });
    if (!hospital) throw new AppException(ErrorCode.HOSPITAL_NOT_FOUND);
    if (hospital.h91160UnitId === null) throw new AppException(ErrorCode.H91160_HOSPITAL_NOT_SYNCED);
    const [rows, count] = await this.db.getRepository(HospitalDepartment).findAndCount({
      where: { hospitalId },
      order: { id: 'ASC' },
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toDepartmentView), count, q);
  }

  async doctors(departmentId: number, q: PageQuery): Promise<Paged<ReturnType<typeof toDoctorView>>> {
    const { department, hospital } = await this.target(departmentId);
    const page = await this.partner(() =>
      this.client.doctorList(hospital.h91160UnitId, department.partnerDepId, q.current_page, q.page_size),
    );
    return paged(page.list.map(toDoctorView), page.total, q);
  }

  async schedules(departmentId: number, doctorId: number, q: ScheduleQuery) {
    const { department, hospital } = await this.target(departmentId);
    const list = await this.partner(() =>
      this.client.scheduleList({
        unitId: hospital.h91160UnitId,
        depId: department.partnerDepId,
        doctorId,
        beginDate: q.begin_date,
        endDate: q.end_date,
      }),
    );
    return { list: list.map(toScheduleView) };
  }

  /** The resources of a schedule a patient may still book (those with a free place). */
  async resources(departmentId: number, scheduleId: string) {
    const { hospital } = await this.target(departmentId);
    const list = await this.partner(() => this.client.resourceList(hospital.h91160UnitId, scheduleId));
    return { list: list.filter((r) => free(r) > 0).map(toResourceView) };
  }

  async book(me: User, dto: BookAppointmentDto): Promise<AppointmentView> {
    const target = await this.target(dto.department_id);
    const patient = await this.patientOf(me.id);
    const resource = await this.freeResource(target, dto);
    const appointment = await this.recordAttempt(me.id, target, dto, resource);
    try {
      const order = await this.client.order({
        unitId: target.hospital.h91160UnitId,
        depId: target.department.partnerDepId,
        doctorId: dto.doctor_id,
        detlId: dto.detl_id,
        ...patient,
        cardType: CARD_TYPE_RESIDENT_ID,
        clinicNo: dto.clinic_no ?? '',
      });
      return toAppointmentView(
        await this.settle(appointment, {
          state: 'booked',
          orderId: order.orderId,
          hisTakeNo: order.hisTakeNo,
        }),
      );
    } catch (err) {
      throw await this.orderFailed(appointment, err);
    }
  }

  async mine(me: User, q: PageQuery): Promise<Paged<AppointmentView>> {
    const [rows, count] = await this.db.getRepository(H91160Appointment).findAndCount({
      where: { userId: me.id },
      order: { id: 'DESC' },
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toAppointmentView), count, q);
  }

  /**
   * Cancels a booked appointment at 91160, then here. The row stays locked during the call, so a second cancel
   * waits and then finds it cancelled. Without an answer from 91160 the row stays booked: it may be tried again.
   */
  async cancel(me: User, id: number, dto: CancelAppointmentDto): Promise<AppointmentView> {
    const reason = dto.reason || DEFAULT_CANCEL_REASON;
    return this.db.transaction(async (m) => {
      const a = await m.findOne(H91160Appointment, {
        where: { id, userId: me.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!a) throw new AppException(ErrorCode.H91160_APPOINTMENT_NOT_FOUND);
      const started = a.beginTime !== null && a.beginTime.getTime() <= Date.now();
      if (a.state !== 'booked' || a.orderId === null || started)
        throw new AppException(ErrorCode.H91160_NOT_CANCELLABLE);
      try {
        await this.client.cancel(a.orderId, reason);
      } catch (err) {
        throw toPartnerException(err, H91160_PARTNER, (e) => {
          if (e.kind === 'api') return ErrorCode.H91160_CANCEL_REJECTED;
          return hadNoEffect(e) ? undefined : ErrorCode.H91160_CANCEL_RESULT_UNKNOWN;
        });
      }
      Object.assign(a, { state: 'cancelled', cancelReason: reason, cancelledAt: new Date() });
      return toAppointmentView(await m.save(a));
    });
  }

  /** A department of a synced hospital, by our id. */
  private async target(departmentId: number): Promise<BookingTarget> {
    const department = await this.db.getRepository(HospitalDepartment).findOne({
      where: { id: departmentId, hospital: { h91160UnitId: Not(IsNull()) } },
      relations: { hospital: true },
    });
    if (!department?.hospital) throw new AppException(ErrorCode.H91160_DEPARTMENT_NOT_FOUND);
    return { department, hospital: department.hospital as BookingTarget['hospital'] };
  }

  /** The patient as 91160 takes them, from their own profile: name, phone, and sex and birthday from the ID. */
  private async patientOf(userId: number) {
    const user = await this.db.getRepository(User).findOneByOrFail({ id: userId });
    const id = user.idno ? parseResidentId(user.idno) : undefined;
    if (!user.realName.trim() || !user.idno || !id || !user.phone)
      throw new AppException(ErrorCode.H91160_PROFILE_INCOMPLETE);
    return {
      trueName: user.realName.trim(),
      mobile: user.phone,
      cardNo: user.idno.toUpperCase(),
      sex: id.sex === 1 ? (0 as const) : (1 as const),
      birthday: id.birthday,
      address: user.address.addr,
    };
  }

  /** The resource, checked free (and not started) at 91160 just before ordering, so a gone slot sends no order. */
  private async freeResource(target: BookingTarget, dto: BookAppointmentDto): Promise<H91160Resource> {
    const list = await this.partner(() =>
      this.client.resourceList(target.hospital.h91160UnitId, dto.schedule_id),
    );
    const resource = list.find((r) => r.resourceId === dto.detl_id);
    const begin = resource && partnerTime(resource.beginTime);
    if (!resource || free(resource) === 0 || (begin && begin.getTime() <= Date.now()))
      throw new AppException(ErrorCode.H91160_SLOT_UNAVAILABLE);
    return resource;
  }

  /** The attempt, committed as `unknown` before anything is sent. */
  private async recordAttempt(
    userId: number,
    { department, hospital }: BookingTarget,
    dto: BookAppointmentDto,
    resource: H91160Resource,
  ): Promise<H91160Appointment> {
    const repo = this.db.getRepository(H91160Appointment);
    try {
      return await repo.save(
        repo.create({
          userId,
          hospitalId: hospital.id,
          departmentId: department.id,
          unitId: hospital.h91160UnitId,
          doctorId: dto.doctor_id,
          scheduleId: dto.schedule_id,
          detlId: dto.detl_id,
          state: 'unknown',
          hospitalName: hospital.name,
          departmentName: department.name,
          beginTime: partnerTime(resource.beginTime),
          endTime: partnerTime(resource.endTime),
          fee: fen(resource.resourceFee),
        }),
      );
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppException(ErrorCode.H91160_ALREADY_BOOKED);
      throw err;
    }
  }

  private settle(
    a: H91160Appointment,
    change: { state: AppointmentState } & Partial<H91160Appointment>,
  ): Promise<H91160Appointment> {
    return this.db.getRepository(H91160Appointment).save(Object.assign(a, change));
  }

  /** Records what the failure says about the booking and turns it into the app's answer. */
  private async orderFailed(a: H91160Appointment, err: unknown): Promise<unknown> {
    if (!(err instanceof PartnerCallError)) return err;
    if (!hadNoEffect(err)) {
      this.logger.error(`appointment ${a.id}: order result unknown (${err.kind}); reconcile with 91160`);
      return new AppException(ErrorCode.H91160_ORDER_RESULT_UNKNOWN);
    }
    await this.settle(a, { state: 'failed', partnerCode: err.partnerCode ?? null });
    return toPartnerException(err, H91160_PARTNER, (e) =>
      e.kind === 'api' ? ErrorCode.H91160_SLOT_UNAVAILABLE : undefined,
    );
  }

  private async partner<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toPartnerException(err, H91160_PARTNER);
    }
  }
}
