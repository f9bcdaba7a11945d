import { Injectable, Logger } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { LinkingcloudClient } from 'src/integrations/linkingcloud/linkingcloud.client';
import { LcDept, LcDoctor } from 'src/integrations/linkingcloud/linkingcloud.types';
import { consultPartnerError, requireConfigured } from './consult.partner';
import { DoctorView, doctorView } from './consult.view';

/** The partner's lists change rarely; one fetch serves every patient for this long. */
const DIRECTORY_TTL_MS = 5 * 60_000;

interface Cached<T> {
  value: T;
  fetchedAt: number;
}

/**
 * 联空医问 departments and doctors (whole lists, no paging at the partner), cached per instance. While the
 * partner fails, the last lists fetched keep serving, so patients can still browse and ask.
 */
@Injectable()
export class ConsultDirectoryService {
  private readonly logger = new Logger('Consult');
  private depts?: Cached<LcDept[]>;
  private doctors?: Cached<LcDoctor[]>;

  constructor(private readonly client: LinkingcloudClient) {}

  async departments(): Promise<{ list: LcDept[] }> {
    return { list: await this.deptList() };
  }

  /** Doctors of one department (the partner names a doctor's department by `dept_name` only). */
  async doctorsOf(deptId: string, query: PageQuery): Promise<Paged<DoctorView>> {
    const dept = await this.dept(deptId);
    const doctors = (await this.doctorList())
      .filter((d) => d.dept_name === dept.dept_name)
      .sort((a, b) => Number(a.doctor_sort) - Number(b.doctor_sort));
    const page = doctors.slice(query.offset, query.offset + query.page_size).map(doctorView);
    return paged(page, doctors.length, query);
  }

  async dept(deptId: string): Promise<LcDept> {
    const dept = (await this.deptList()).find((d) => d.dept_id === deptId);
    if (!dept) throw new AppException(ErrorCode.CONSULT_DEPT_NOT_FOUND);
    return dept;
  }

  async doctor(doctorId: string): Promise<LcDoctor> {
    const doctor = (await this.doctorList()).find((d) => d.doctor_id === doctorId);
    if (!doctor) throw new AppException(ErrorCode.CONSULT_DOCTOR_NOT_FOUND);
    return doctor;
  }

  private async deptList(): Promise<LcDept[]> {
    this.depts = await this.refreshed(this.depts, () => this.client.deptList(), 'departments');
    return this.depts.value;
  }

  private async doctorList(): Promise<LcDoctor[]> {
    this.doctors = await this.refreshed(this.doctors, () => this.client.doctorList(), 'doctors');
    return this.doctors.value;
  }

  private async refreshed<T>(cached: Cached<T> | undefined, fetch: () => Promise<T>, what: string) {
    requireConfigured(this.client);
    if (cached && Date.now() - cached.fetchedAt < DIRECTORY_TTL_MS) return cached;
    try {
      return { value: await fetch(), fetchedAt: Date.now() };
    } catch (err) {
      if (!cached) throw consultPartnerError(err);
      this.logger.warn(`${what}: the partner failed; serving the list fetched ${formatAge(cached)} ago`);
      return cached;
    }
  }
}

const formatAge = (cached: Cached<unknown>) => `${Math.round((Date.now() - cached.fetchedAt) / 1000)} s`;
