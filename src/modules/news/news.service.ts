import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsWhere, LessThanOrEqual, Repository } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { PageQuery, paged, Paged } from 'src/common/http/pagination';
import { Placement } from './content-fields';
import { News } from './news.entity';
import { NewsView, toNewsView } from './news.view';

/** Scheduled items stay hidden until their `publish_time` (the app's clock, which also set the default). */
const published = (where: FindOptionsWhere<News>): FindOptionsWhere<News> => ({
  ...where,
  publishTime: LessThanOrEqual(new Date()),
});

export const NEWEST_FIRST = { publishTime: 'DESC', id: 'DESC' } as const;

/** What the apps read: published items only, newest first. */
@Injectable()
export class NewsService {
  constructor(@InjectRepository(News) private readonly news: Repository<News>) {}

  /** 3.2.14: one app's announcements, hospital and organisation items included. */
  async list(type: number, q: PageQuery): Promise<Paged<NewsView>> {
    const [rows, count] = await this.news.findAndCount({
      where: published({ type }),
      order: NEWEST_FIRST,
      skip: q.offset,
      take: q.page_size,
    });
    return paged(rows.map(toNewsView), count, q);
  }

  /** 3.2.15: a scheduled item is as absent as an unknown one until its time comes. */
  async detail(id: number): Promise<NewsView> {
    const row = await this.news.findOneBy(published({ id }));
    if (!row) throw new AppException(ErrorCode.NEWS_NOT_FOUND);
    return toNewsView(row);
  }

  /**
   * The newest published items of one app for a homepage: that hospital's or organisation's when given,
   * otherwise the app's whole list (as 3.2.14 shows it).
   */
  async latest(type: number, limit: number, placement: Placement = {}): Promise<NewsView[]> {
    const rows = await this.news.find({
      where: published({
        type,
        ...(placement.hospitalId ? { hospitalId: placement.hospitalId } : {}),
        ...(placement.orgId ? { orgId: placement.orgId } : {}),
      }),
      order: NEWEST_FIRST,
      take: limit,
    });
    return rows.map(toNewsView);
  }
}
