import type { EntityManager, EntityTarget } from 'typeorm';
import { paged, Paged } from 'src/common/http/pagination';
import { containsPattern } from 'src/common/database/query-helpers';
import type { KeywordPageQuery } from './dto/directory.fields';

/**
 * One page of a directory table (hospital, org) in creation order, `keyword` matched case-insensitively against
 * `name` (the trigram index `ix_<table>_name_trgm` serves it). At most two queries (page, count)
 * whatever the page size: TypeORM skips the count when a first page is not full.
 */
export async function pageByName<T extends { id: number; name: string }, V>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  q: KeywordPageQuery,
  view: (row: T) => V,
): Promise<Paged<V>> {
  const qb = manager.createQueryBuilder(entity, 'd').orderBy('d.id', 'ASC').skip(q.offset).take(q.page_size);
  if (q.keyword) qb.where('d.name ILIKE :like', { like: containsPattern(q.keyword) });
  const [rows, count] = await qb.getManyAndCount();
  return paged(rows.map(view), count, q);
}
