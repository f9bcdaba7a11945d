import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { VerifyState } from 'src/modules/users/user.entity';
import type { Principal } from './principal';
import { ROLE_OF_TYPE } from './roles';
import { TokenService } from './token.service';

/** The token from `X-auth-token`, or `Authorization: Bearer`. */
export function tokenFromRequest(req: Request): string | undefined {
  const header = req.headers['x-auth-token'];
  const direct = Array.isArray(header) ? header[0] : header;
  if (direct?.trim()) return direct.trim();
  const auth = req.headers.authorization;
  const match = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
}

/** Resolves the caller of a request from its token; the passport strategy of the token guard runs this. */
@Injectable()
export class TokenStrategy {
  constructor(private readonly tokens: TokenService) {}

  async validate(req: Request): Promise<Principal> {
    const token = tokenFromRequest(req);
    if (!token) throw new AppException(ErrorCode.TOKEN_MISSING);
    const row = await this.tokens.resolve(token);
    if (!row) throw new AppException(ErrorCode.TOKEN_INVALID);
    if (row.user) {
      if (row.user.isVerify === VerifyState.Disabled) throw new AppException(ErrorCode.ACCOUNT_DISABLED);
      return { role: ROLE_OF_TYPE[row.user.type], tokenId: row.id, token, user: row.user };
    }
    if (row.operator?.isActive) return { role: 'admin', tokenId: row.id, token, operator: row.operator };
    throw new AppException(ErrorCode.ACCOUNT_DISABLED);
  }
}
