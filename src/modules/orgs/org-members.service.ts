import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import type { OrgMembersQuery } from './dto/org.dto';
import { MemberState, OrgMember } from './org-member.entity';
import { toAdminMemberView, toMemberView } from './org-member.view';
import { Org } from './org.entity';

/** Doctors' applications to organisations (DESIGN §4) and the operators' decisions on them. */
@Injectable()
export class OrgMembersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /**
   * 3.2.19: a pending application. A rejected one is reopened; a pending or approved one stands (409). The
   * upsert decides in one statement, so two simultaneous requests cannot both create a row.
   */
  async apply(doctorId: number, orgId: number): Promise<null> {
    if (!(await this.db.manager.existsBy(Org, { id: orgId })))
      throw new AppException(ErrorCode.ORG_NOT_FOUND);
    const changed = await this.db.query<{ id: number }[]>(
      `INSERT INTO org_member (org_id, doctor_id, verify_status) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT uq_org_member_org_doctor
       DO UPDATE SET verify_status = EXCLUDED.verify_status, updated_at = now()
       WHERE org_member.verify_status = $4
       RETURNING id`,
      [orgId, doctorId, MemberState.Pending, MemberState.Rejected],
    );
    if (changed.length) return null;
    const standing = await this.db.manager.findOneBy(OrgMember, { orgId, doctorId });
    throw new AppException(
      standing?.verifyStatus === MemberState.Approved
        ? ErrorCode.ORG_ALREADY_MEMBER
        : ErrorCode.ORG_APPLICATION_PENDING,
    );
  }

  /** 3.2.20: withdraws an application or leaves the org. Another doctor's id is answered as unknown. */
  async withdraw(doctorId: number, id: number): Promise<null> {
    const { affected } = await this.db.manager.delete(OrgMember, { id, doctorId });
    if (!affected) throw new AppException(ErrorCode.ORG_APPLICATION_NOT_FOUND);
    return null;
  }

  /** 3.2.21: the doctor's applications, newest first. */
  async mine(doctorId: number, q: PageQuery) {
    const [rows, count] = await this.members()
      .where('m.doctor_id = :doctorId', { doctorId })
      .offset(q.offset)
      .limit(q.page_size)
      .getManyAndCount();
    return paged(rows.map(toMemberView), count, q);
  }

  /** Applications for review, newest first, with who applied. */
  async list(q: OrgMembersQuery) {
    const qb = this.members().leftJoinAndSelect('m.doctor', 'u').offset(q.offset).limit(q.page_size);
    if (q.verify_status !== undefined) qb.andWhere('m.verify_status = :s', { s: q.verify_status });
    if (q.org_id !== undefined) qb.andWhere('m.org_id = :org', { org: q.org_id });
    const [rows, count] = await qb.getManyAndCount();
    return paged(rows.map(toAdminMemberView), count, q);
  }

  /** Approves or rejects (also reverses an earlier decision); audited with the previous state. */
  async decide(operatorId: number, id: number, state: MemberState, ip: string) {
    return this.db.transaction(async (m) => {
      const member = await m.findOne(OrgMember, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!member) throw new AppException(ErrorCode.ORG_APPLICATION_NOT_FOUND);
      await m.update(OrgMember, { id }, { verifyStatus: state });
      await this.audit.record(
        {
          operatorId,
          action: 'org_member.verify',
          targetType: 'org_member',
          targetId: id,
          detail: { org_id: member.orgId, doctor_id: member.doctorId, from: member.verifyStatus, to: state },
          ip,
        },
        m,
      );
      return { id, verify_status: state, org_id: member.orgId, doctor_id: member.doctorId };
    });
  }

  /**
   * Applications with their org. The joins are many-to-one, so plain OFFSET/LIMIT pages correctly; TypeORM's
   * skip/take would add a third query to page distinct ids.
   */
  private members() {
    return this.db.manager
      .createQueryBuilder(OrgMember, 'm')
      .innerJoinAndSelect('m.org', 'o')
      .orderBy('m.id', 'DESC');
  }
}
