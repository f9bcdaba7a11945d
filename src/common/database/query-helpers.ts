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
