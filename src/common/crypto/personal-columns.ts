import {
  Column,
  DataSource,
  EntitySubscriberInterface,
  EventSubscriber,
  InsertEvent,
  UpdateEvent,
  ValueTransformer,
} from 'typeorm';
import { PersonalKind, personalData } from './personal-data';

interface PersonalColumnSpec {
  property: string;
  kind: PersonalKind;
  /** Property of the lookup-hash column kept in step with this one. */
  hash: string;
  /** Property of the phone-fragment tokens column, where "contains" searches are needed. */
  search?: string;
}

const specsByEntity = new Map<object, PersonalColumnSpec[]>();

const transformerFor = (kind: PersonalKind): ValueTransformer => ({
  to: (value: string | null | undefined) => (value == null ? value : personalData().seal(kind, value)),
  from: (value: string | null) => (value === null ? null : personalData().open(kind, value)),
});

/**
 * A phone number or ID number: sealed at rest (text column), plain on the entity. Equality searches on it never
 * match (every seal differs): look up through the `hash` column, which is written whenever this one is.
 */
export function PersonalColumn(
  kind: PersonalKind,
  options: { hash: string; search?: string; nullable?: boolean },
): PropertyDecorator {
  return (target, property) => {
    const specs = specsByEntity.get(target.constructor) ?? [];
    specs.push({ property: String(property), kind, hash: options.hash, search: options.search });
    specsByEntity.set(target.constructor, specs);
    Column({ type: 'text', nullable: options.nullable ?? false, transformer: transformerFor(kind) })(
      target,
      property,
    );
  };
}

/** Sets the hash (and search tokens) of every personal value an insert or update writes. */
function fillLookups(target: unknown, entity: Record<string, unknown> | undefined): void {
  if (!entity || typeof target !== 'function') return;
  for (const spec of specsByEntity.get(target) ?? []) {
    const value = entity[spec.property] as string | null | undefined;
    if (value === undefined) continue;
    entity[spec.hash] = value === null ? null : personalData().lookupHash(spec.kind, value);
    if (spec.search) entity[spec.search] = value === null ? [] : personalData().phoneSearchTokens(value);
  }
}

/**
 * Keeps lookup hashes in step for `save`, `insert` and `update` alike (query-builder writes included, which
 * entity listeners would miss).
 */
@EventSubscriber()
export class PersonalColumnsSubscriber implements EntitySubscriberInterface {
  beforeInsert(event: InsertEvent<Record<string, unknown>>): void {
    fillLookups(event.metadata.target, event.entity);
  }

  beforeUpdate(event: UpdateEvent<Record<string, unknown>>): void {
    fillLookups(event.metadata.target, event.entity);
  }
}

const REKEY_BATCH = 500;

/**
 * Re-seals every personal value under the current key version and recomputes its lookup hash and search tokens
 * (after PII_KEY_VERSION or PII_HASH_KEY changed). Rows are rewritten in batches of 500, each only if its values
 * are still the ones read, so a concurrent edit (already sealed under the current key) is never overwritten.
 * Returns how many rows were rewritten per table.
 */
export async function resealPersonalData(db: DataSource): Promise<Record<string, number>> {
  const cipher = personalData();
  const done: Record<string, number> = {};
  for (const [target, specs] of specsByEntity) {
    const meta = db.getMetadata(target as new () => unknown);
    const column = (property: string) => meta.findColumnWithPropertyName(property)!.databaseName;
    const sealedColumns = specs.map((s) => column(s.property));
    const outputs = specs.flatMap((s) => [
      `${column(s.property)} text`,
      `${column(s.hash)} text`,
      ...(s.search ? [`${column(s.search)} text[]`] : []),
    ]);
    const sets = specs.flatMap((s) => [
      `${column(s.property)} = x.${column(s.property)}`,
      `${column(s.hash)} = x.${column(s.hash)}`,
      ...(s.search ? [`${column(s.search)} = x.${column(s.search)}`] : []),
    ]);
    const unchanged = specs.map(
      (s) => `t.${column(s.property)} IS NOT DISTINCT FROM x.old_${column(s.property)}`,
    );
    done[meta.tableName] = 0;
    for (let after = 0; ;) {
      const rows = await db.query<Record<string, string | number | null>[]>(
        `SELECT id, ${sealedColumns.join(', ')} FROM ${meta.tableName} WHERE id > $1 ORDER BY id LIMIT ${REKEY_BATCH}`,
        [after],
      );
      if (!rows.length) break;
      after = Number(rows[rows.length - 1].id);
      const changes = rows.map((row) => {
        const change: Record<string, unknown> = { id: row.id };
        for (const s of specs) {
          const stored = row[column(s.property)] as string | null;
          const plain = stored === null ? null : cipher.open(s.kind, stored);
          change[`old_${column(s.property)}`] = stored;
          change[column(s.property)] = plain === null ? null : cipher.seal(s.kind, plain);
          change[column(s.hash)] = plain === null ? null : cipher.lookupHash(s.kind, plain);
          if (s.search) change[column(s.search)] = plain === null ? [] : cipher.phoneSearchTokens(plain);
        }
        return change;
      });
      const [, updated] = await db.query<[unknown, number]>(
        `UPDATE ${meta.tableName} t SET ${sets.join(', ')}
         FROM jsonb_to_recordset($1::jsonb) AS x(id bigint, ${sealedColumns.map((c) => `old_${c} text`).join(', ')}, ${outputs.join(', ')})
         WHERE t.id = x.id AND ${unchanged.join(' AND ')}`,
        [JSON.stringify(changes)],
      );
      done[meta.tableName] += updated;
    }
  }
  return done;
}
