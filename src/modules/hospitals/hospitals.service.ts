import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import type { Paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import { RegionsService } from 'src/modules/regions/regions.service';
import type { KeywordPageQuery } from './dto/directory.fields';
import type { CreateHospitalDto, HospitalInput, UpdateHospitalDto } from './dto/hospital.dto';
import { Hospital } from './hospital.entity';
import { HospitalView, toHospitalView } from './hospital.view';
import { sentFields } from 'src/common/database/query-helpers';
import { pageByName } from './directory.helpers';

/** Degrees as Postgres renders numeric(_, 6), so the saved entity answers like one read back from the table. */
const degrees = (v: number | null | undefined) => (v === undefined || v === null ? v : v.toFixed(6));

@Injectable()
export class HospitalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly regions: RegionsService,
    private readonly audit: AuditService,
  ) {}

  /** 3.3.1 / 3.2.17 */
  list(q: KeywordPageQuery): Promise<Paged<HospitalView>> {
    return pageByName(this.db.manager, Hospital, q, toHospitalView);
  }

  async create(operatorId: number, dto: CreateHospitalDto, ip: string): Promise<HospitalView> {
    return this.db.transaction(async (m) => {
      const hospital = m.create(Hospital, { banner: [], address: { addr: '' } });
      await this.apply(hospital, dto);
      const saved = await m.save(hospital);
      await this.record(m, operatorId, 'hospital.create', saved.id, dto, ip);
      return toHospitalView(saved);
    });
  }

  /** Changes the fields sent; the region chain is checked on the result, so a lone county must fit the city kept. */
  async update(operatorId: number, id: number, dto: UpdateHospitalDto, ip: string): Promise<HospitalView> {
    return this.db.transaction(async (m) => {
      const hospital = await m.findOne(Hospital, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!hospital) throw new AppException(ErrorCode.HOSPITAL_NOT_FOUND);
      await this.apply(hospital, dto);
      const saved = await m.save(hospital);
      await this.record(m, operatorId, 'hospital.update', id, dto, ip);
      return toHospitalView(saved);
    });
  }

  /** Copies the sent fields onto the entity; region names are filled from the region table, never from input. */
  private async apply(h: Hospital, dto: HospitalInput): Promise<void> {
    const { name, logo, banner, level, tag, addr } = dto;
    Object.assign(
      h,
      sentFields({ name, logo, banner, level, tag, lng: degrees(dto.lng), lat: degrees(dto.lat) }),
    );
    const pick = (sent: number | null | undefined, kept: number | null | undefined) =>
      sent === undefined ? (kept ?? null) : sent || null;
    const region = await this.regions.resolveAddress({
      provinceId: pick(dto.province_id, h.address.provinceId),
      cityId: pick(dto.city_id, h.address.cityId),
      countyId: pick(dto.county_id, h.address.countyId),
    });
    h.address = { ...h.address, ...region, ...sentFields({ addr }) };
  }

  private record(
    m: EntityManager,
    operatorId: number,
    action: string,
    id: number,
    dto: HospitalInput,
    ip: string,
  ): Promise<void> {
    return this.audit.record(
      { operatorId, action, targetType: 'hospital', targetId: id, detail: { ...dto }, ip },
      m,
    );
  }
}
