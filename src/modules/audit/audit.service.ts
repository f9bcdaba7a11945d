import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import { AuditLog } from './audit-log.entity';

export interface AuditEntry {
  operatorId: number;
  action: string;
  targetType: string;
  targetId: string | number;
  detail?: Record<string, unknown>;
  ip?: string;
}

@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditLog) private readonly logs: Repository<AuditLog>) {}

  /** Records an operator write; pass the write's transaction so the record and the change commit together. */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const repo = manager ? manager.getRepository(AuditLog) : this.logs;
    await repo.save(
      repo.create({
        operatorId: entry.operatorId,
        action: entry.action,
        targetType: entry.targetType,
        targetId: String(entry.targetId),
        detail: entry.detail ?? {},
        ip: entry.ip ?? '',
      }),
    );
  }

  async list(query: PageQuery): Promise<Paged<Record<string, unknown>>> {
    const [rows, count] = await this.logs.findAndCount({
      order: { id: 'DESC' },
      skip: query.offset,
      take: query.page_size,
    });
    const list = rows.map((r) => ({
      id: Number(r.id),
      operator_id: r.operatorId ?? 0,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      detail: r.detail,
      ip: r.ip,
      created_at: formatDateTime(r.createdAt),
    }));
    return paged(list, count, query);
  }
}
