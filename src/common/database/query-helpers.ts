import type { EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import type { ErrorCode } from 'src/common/errors/error-codes';

/**
 * The `ILIKE` pattern matching text that contains `keyword` literally: `%`, `_` and `\` in it are escaped, so
 * "100%" finds "100%" rather than everything. Backslash is Postgres's default LIKE escape character.
 */
export const containsPattern = (keyword: string): string =>
  `%${keyword.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The entries of a partial update that were sent (not `undefined`), ready for `Object.assign` onto an entity. */
export function sentFields<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The row with this id, locked for the rest of the transaction; a missing one is the given "not found" error. */
export async function findLockedOrFail<T extends ObjectLiteral & { id: number }>(
  m: EntityManager,
  entity: EntityTarget<T>,
  id: number,
  notFound: ErrorCode,
): Promise<T> {
  const row = await m.findOne(entity, {
    where: { id } as FindOptionsWhere<T>,
    lock: { mode: 'pessimistic_write' },
  });
  if (!row) throw new AppException(notFound);
  return row;
}
