import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { paged } from 'src/common/http/pagination';
import { AuditService } from 'src/modules/audit/audit.service';
import { sentFields } from 'src/common/database/query-helpers';
import { assertPlacementExists, changedFields, placementColumn } from './content-fields';
import { AdminNewsQuery, CreateNewsDto, UpdateNewsDto } from './dto/news.dto';
import { News } from './news.entity';
import { NEWEST_FIRST } from './news.service';
import { toAdminNewsView } from './news.view';

/** The given fields as columns; a null for a required field counts as not given. */
const columnsOf = (dto: UpdateNewsDto): Partial<News> =>
  sentFields({
    type: dto.type ?? undefined,
    title: dto.title ?? undefined,
    photo: dto.photo ?? undefined,
    content: dto.content ?? undefined,
    publishTime: dto.publish_time ?? undefined,
    hospitalId: placementColumn(dto.hospital_id),
    orgId: placementColumn(dto.org_id),
  });

const placementOf = (dto: UpdateNewsDto) => ({ hospitalId: dto.hospital_id, orgId: dto.org_id });

/** Operators publish news (§9); scheduled items are listed too. Every write is audited in its transaction. */
@Injectable()
export class NewsAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(q: AdminNewsQuery) {
    const [rows, count] = await this.db.manager.findAndCount(News, {
      where: q.type === undefined ? {} : { type: q.type },
      order: NEWEST_FIRST,
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toAdminNewsView), count, q);
  }

  /** publish_time defaults to now. */
  async create(operatorId: number, dto: CreateNewsDto, ip: string) {
    return this.db.transaction(async (m) => {
      await assertPlacementExists(m, placementOf(dto));
      const news = await m.save(m.create(News, { photo: '', publishTime: new Date(), ...columnsOf(dto) }));
      await this.audit.record(
        {
          operatorId,
          action: 'news.create',
          targetType: 'news',
          targetId: news.id,
          detail: { type: news.type, title: news.title, hospital_id: news.hospitalId, org_id: news.orgId },
          ip,
        },
        m,
      );
      return toAdminNewsView(news);
    });
  }

  /** Changes the fields given; `hospital_id`/`org_id` 0 takes the placement away. */
  async update(operatorId: number, id: number, dto: UpdateNewsDto, ip: string) {
    return this.db.transaction(async (m) => {
      const news = await m.findOne(News, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!news) throw new AppException(ErrorCode.NEWS_NOT_FOUND);
      await assertPlacementExists(m, placementOf(dto));
      const columns = columnsOf(dto);
      // Nothing given, nothing written, nothing to audit.
      if (!Object.keys(columns).length) return toAdminNewsView(news);
      await m.update(News, { id }, columns);
      await this.audit.record(
        {
          operatorId,
          action: 'news.update',
          targetType: 'news',
          targetId: id,
          detail: { fields: changedFields(columns) },
          ip,
        },
        m,
      );
      return toAdminNewsView(Object.assign(news, columns));
    });
  }
}
