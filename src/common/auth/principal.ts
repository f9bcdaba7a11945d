import type { Operator } from 'src/modules/admin/operator.entity';
import type { User } from 'src/modules/users/user.entity';
import type { Role } from './roles';

/** Who is calling, resolved from the token by the guard. Exactly one of `user` / `operator` is set. */
export interface Principal {
  role: Role;
  tokenId: string;
  /** The raw token of this request, echoed only in the caller's own profile responses. */
  token: string;
  user?: User;
  operator?: Operator;
}
