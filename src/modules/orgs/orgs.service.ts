import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MemberState, OrgMember } from './org-member.entity';
import { OrgView, toOrgView } from './org.view';

@Injectable()
export class OrgsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

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
