import { UserType } from 'src/modules/users/user.entity';

export type Role = 'patient' | 'doctor' | 'assistant' | 'admin';

export const ROLE_OF_TYPE: Record<UserType, Role> = {
  [UserType.Patient]: 'patient',
  [UserType.Doctor]: 'doctor',
  [UserType.Assistant]: 'assistant',
};

/** Any app account (not an operator). */
export const APP_ROLES: Role[] = ['patient', 'doctor', 'assistant'];
