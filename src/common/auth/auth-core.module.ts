import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthToken } from './auth-token.entity';
import { RolesGuard, TokenAuthGuard } from './guards';
import { TokenService } from './token.service';
import { TokenStrategy } from './token.strategy';

/** Tokens, their resolution and the two global guards (token, then roles). */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuthToken])],
  providers: [
    TokenService,
    TokenStrategy,
    { provide: APP_GUARD, useClass: TokenAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [TokenService],
})
export class AuthCoreModule {}
