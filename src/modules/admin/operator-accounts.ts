import { EntityManager } from 'typeorm';
import { hashPassword } from 'src/common/crypto/hashing';
import { Operator } from './operator.entity';

/** Creates the operator, or resets its password and re-enables it; used at start-up and by the CLI. */
export async function upsertOperator(
  manager: EntityManager,
  phone: string,
  password: string,
  name = '',
): Promise<{ id: number; created: boolean }> {
  const passwordHash = await hashPassword(password);
  const existing = await manager.findOne(Operator, { where: { phone } });
  if (existing) {
    await manager.update(
      Operator,
      { id: existing.id },
      { passwordHash, isActive: true, ...(name ? { name } : {}) },
    );
    return { id: existing.id, created: false };
  }
  const created = await manager.save(manager.create(Operator, { phone, passwordHash, name }));
  return { id: created.id, created: true };
}
