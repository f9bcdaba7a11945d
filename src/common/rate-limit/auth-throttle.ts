import { ExecutionContext, SetMetadata } from '@nestjs/common';

const AUTH_ROUTE = 'throttle:auth-route';

/** Marks a sign-in or registration route: it also counts against the tighter `auth` budget. */
export const AuthThrottle = () => SetMetadata(AUTH_ROUTE, true);

export const isAuthRoute = (context: ExecutionContext): boolean =>
  Reflect.getMetadata(AUTH_ROUTE, context.getHandler()) === true;
