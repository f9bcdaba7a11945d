import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { IS_PUBLIC, ROLES } from './decorators';
import type { Principal } from './principal';
import type { Role } from './roles';
import { TokenStrategy } from './token.strategy';

/**
 * Deny by default: every route needs a valid token unless marked @Public(). Passport runs the token strategy
 * through this application's own authenticator: the default one is a process-wide registry, where several
 * application instances in one process (the tests start some) would answer through the last one created.
 */
@Injectable()
export class TokenAuthGuard implements CanActivate {
  private readonly passport = new passport.Authenticator();

  constructor(
    private readonly reflector: Reflector,
    strategy: TokenStrategy,
  ) {
    this.passport.use(
      'token',
      new CustomStrategy((req, done) => {
        strategy.validate(req).then(
          (principal) => done(null, principal),
          (err: unknown) => done(err),
        );
      }),
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { user?: Principal }>();
    req.user = await new Promise<Principal>((resolve, reject) => {
      const authenticate = this.passport.authenticate(
        'token',
        { session: false },
        (err: Error | null, user?: Principal) =>
          err ? reject(err) : user ? resolve(user) : reject(new AppException(ErrorCode.TOKEN_MISSING)),
      ) as (req: Request, res: Response, next: (err?: unknown) => void) => void;
      authenticate(req, http.getResponse<Response>(), reject);
    });
    return true;
  }
}

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles?.length) return true;
    const principal = context.switchToHttp().getRequest<Request & { user?: Principal }>().user;
    if (!principal) throw new AppException(ErrorCode.TOKEN_MISSING);
    if (!roles.includes(principal.role)) throw new AppException(ErrorCode.ROLE_FORBIDDEN);
    return true;
  }
}
