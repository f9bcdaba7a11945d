import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';
import type { Request } from 'express';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import type { Operator } from 'src/modules/admin/operator.entity';
import type { User } from 'src/modules/users/user.entity';
import type { Principal } from './principal';
import type { Role } from './roles';

export const IS_PUBLIC = 'auth:public';
export const ROLES = 'auth:roles';

/** Opts a route out of the token guard. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Narrows a route to some roles; the token guard already requires a valid token. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiSecurity('X-auth-token'), ApiBearerAuth());

const principalOf = (ctx: ExecutionContext): Principal | undefined =>
  ctx.switchToHttp().getRequest<Request & { user?: Principal }>().user;

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const p = principalOf(ctx);
  if (!p) throw new AppException(ErrorCode.TOKEN_MISSING);
  return p;
});

/** The calling app account; operators are refused. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): User => {
  const p = principalOf(ctx);
  if (!p) throw new AppException(ErrorCode.TOKEN_MISSING);
  if (!p.user) throw new AppException(ErrorCode.ROLE_FORBIDDEN);
  return p.user;
});

export const CurrentOperator = createParamDecorator((_: unknown, ctx: ExecutionContext): Operator => {
  const p = principalOf(ctx);
  if (!p?.operator) throw new AppException(ErrorCode.ROLE_FORBIDDEN);
  return p.operator;
});
