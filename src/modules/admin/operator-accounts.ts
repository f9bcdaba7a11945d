import { EntityManager } from 'typeorm';
import { hashPassword } from 'src/common/crypto/hashing';
import { phoneHash } from 'src/common/crypto/personal-data';
import { Operator } from './operator.entity';

/** The lengths `POST /admin/login` accepts (PasswordField): a password outside them could never be used. */
export const OPERATOR_PASSWORD_MIN = 6;
export const OPERATOR_PASSWORD_MAX = 32;

/** Creates the operator, or resets its password and re-enables it; used at start-up and by the CLI. */
export async function upsertOperator(
  manager: EntityManager,
  phone: string,
  password: string,
  name = '',
): Promise<{ id: number; created: boolean }> {
  // Refuse rather than store an operator nobody could log in as (e.g. a 40-character ADMIN_PASSWORD).
  if (password.length < OPERATOR_PASSWORD_MIN || password.length > OPERATOR_PASSWORD_MAX) {
    throw new Error(
      `operator password (ADMIN_PASSWORD / --password) must be ${OPERATOR_PASSWORD_MIN} to ${OPERATOR_PASSWORD_MAX} characters`,
    );
  }
  const passwordHash = await hashPassword(password);
  const existing = await manager.findOne(Operator, { where: { phoneHash: phoneHash(phone) } });
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
