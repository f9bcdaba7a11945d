import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import type { Paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import type { KeywordPageQuery } from 'src/modules/hospitals/dto/directory.fields';
import { sentFields } from 'src/common/database/query-helpers';
import { pageByName } from 'src/modules/hospitals/directory.helpers';
import type { CreateOrgDto, UpdateOrgDto } from './dto/org.dto';
import { MemberState, OrgMember } from './org-member.entity';
import { Org } from './org.entity';
import { OrgView, toOrgView } from './org.view';

@Injectable()
export class OrgsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** 3.2.18 / 3.3.21 */
  list(q: KeywordPageQuery): Promise<Paged<OrgView>> {
    return pageByName(this.db.manager, Org, q, toOrgView);
  }

  async create(operatorId: number, dto: CreateOrgDto, ip: string): Promise<OrgView> {
    return this.db.transaction(async (m) => {
      const org = await m.save(
        m.create(Org, { name: dto.name, logo: dto.logo ?? '', abstract: dto.abstract ?? '' }),
      );
      await this.audit.record(
        { operatorId, action: 'org.create', targetType: 'org', targetId: org.id, detail: { ...dto }, ip },
        m,
      );
      return toOrgView(org);
    });
  }

  /** Changes the fields sent. */
  async update(operatorId: number, id: number, dto: UpdateOrgDto, ip: string): Promise<OrgView> {
    return this.db.transaction(async (m) => {
      const org = await m.findOne(Org, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!org) throw new AppException(ErrorCode.ORG_NOT_FOUND);
      const { name, logo, abstract } = dto;
      Object.assign(org, sentFields({ name, logo, abstract }));
      const saved = await m.save(org);
      await this.audit.record(
        { operatorId, action: 'org.update', targetType: 'org', targetId: id, detail: { ...dto }, ip },
        m,
      );
      return toOrgView(saved);
    });
  }

  /** Approved organisations of each doctor (`org_list`), for any number of doctors in one query. */
  async approvedOrgsOf(doctorIds: number[]): Promise<Map<number, OrgView[]>> {
    const result = new Map<number, OrgView[]>();
    if (!doctorIds.length) return result;
    const members = await this.db.manager
      .createQueryBuilder(OrgMember, 'm')
      .innerJoinAndSelect('m.org', 'o')
      .where('m.doctor_id IN (:...ids) AND m.verify_status = :ok', {
        ids: doctorIds,
        ok: MemberState.Approved,
      })
      .orderBy('o.id', 'ASC')
      .getMany();
    for (const m of members) {
      const list = result.get(m.doctorId) ?? [];
      list.push(toOrgView(m.org!));
      result.set(m.doctorId, list);
    }
    return result;
  }
}
