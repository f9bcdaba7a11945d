import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { FindOptionsWhere, Repository } from 'typeorm';
import type { Principal } from 'src/common/auth/principal';
import { paged, Paged } from 'src/common/http/pagination';
import { formatDateTime } from 'src/common/time';
import type { AuditQuery } from './dto/audit-query.dto';
import { ReadAudit, ReaderRole, ReadRecordType } from './read-audit.entity';

/** One sensitive item a response disclosed: whose, what, which record. */
export interface ReadItem {
  userId: number;
  recordType: ReadRecordType;
  recordId: number;
}

/** The objects of a response: one, a list, or a page's `list` (an empty `{}` has none). */
export function shownObjects<T extends object>(data: T | T[] | Paged<T> | Record<string, never>): T[] {
  if (Array.isArray(data)) return data;
  if ('list' in data && Array.isArray(data.list)) return data.list;
  return Object.keys(data).length ? [data as T] : [];
}

const READER_ROLES: ReadonlySet<string> = new Set<ReaderRole>(['doctor', 'assistant', 'admin']);

/**
 * The audit of reads of patients' records and ID numbers (PIPL: sensitive personal information). Recorded in the
 * request that reads, before the response leaves: a slow insert delays the answer, a failed one fails it, so no
 * disclosure goes unrecorded.
 */
@Injectable()
export class ReadAuditService {
  constructor(@InjectRepository(ReadAudit) private readonly reads: Repository<ReadAudit>) {}

  /**
   * Records what a doctor, assistant or operator was shown of other people, in one multi-row insert; the same
   * record twice in one response counts once. Anyone reading their own data, and patients, are not recorded.
   */
  async record(req: Request & { user?: Principal }, items: ReadItem[]): Promise<void> {
    const reader = req.user;
    if (!reader || !READER_ROLES.has(reader.role)) return;
    const actorId = reader.user?.id ?? reader.operator!.id;
    const distinct = new Map(
      items
        .filter((i) => i.userId !== reader.user?.id)
        .map((i) => [`${i.recordType}:${i.recordId}`, i] as const),
    );
    if (!distinct.size) return;
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    await this.reads.insert(
      [...distinct.values()].map((i) => ({
        actorRole: reader.role as ReaderRole,
        actorId,
        userId: i.userId,
        recordType: i.recordType,
        recordId: i.recordId,
        route,
        ip: req.ip ?? '',
        requestId: String(req.headers['x-request-id'] ?? ''),
      })),
    );
  }

  /** Newest first, optionally of one person's data or by one reader. */
  async list(q: AuditQuery): Promise<Paged<Record<string, unknown>>> {
    const where: FindOptionsWhere<ReadAudit> = {
      ...(q.user_id !== undefined ? { userId: q.user_id } : {}),
      ...(q.actor_role !== undefined ? { actorRole: q.actor_role } : {}),
      ...(q.actor_id !== undefined ? { actorId: q.actor_id } : {}),
    };
    const [rows, count] = await this.reads.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: q.offset,
      take: q.page_size,
    });
    const list = rows.map((r) => ({
      id: Number(r.id),
      actor_role: r.actorRole,
      actor_id: r.actorId,
      user_id: r.userId,
      record_type: r.recordType,
      record_id: r.recordId,
      route: r.route,
      ip: r.ip,
      request_id: r.requestId,
      created_at: formatDateTime(r.createdAt),
    }));
    return paged(list, count, q);
  }
}
