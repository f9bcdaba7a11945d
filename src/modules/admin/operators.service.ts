import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { TokenService } from 'src/common/auth/token.service';
import { verifyPassword } from 'src/common/crypto/hashing';
import { phoneHash } from 'src/common/crypto/personal-data';
import { maskPhone } from 'src/common/crypto/redaction';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LOGIN_FAILURE_WINDOW_MS, RateLimitService } from 'src/common/rate-limit/rate-limit.service';
import { upsertOperator } from './operator-accounts';
import { Operator } from './operator.entity';

@Injectable()
export class OperatorsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Operators');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tokens: TokenService,
    private readonly limits: RateLimitService,
    private readonly config: AppConfig,
  ) {}

  /** The first operator comes from ADMIN_PHONE / ADMIN_PASSWORD (created, or its password updated). */
  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_PHONE, ADMIN_PASSWORD } = this.config;
    if (!ADMIN_PHONE || !ADMIN_PASSWORD) return;
    const { created } = await upsertOperator(this.db.manager, ADMIN_PHONE, ADMIN_PASSWORD);
    this.logger.log(`operator ${maskPhone(ADMIN_PHONE)} ${created ? 'created' : 'updated'}`);
  }

  async login(phone: string, pwd: string) {
    const operator = await this.limits.limitFailures(
      `login:fail:admin:${phoneHash(phone)}`,
      LOGIN_FAILURE_WINDOW_MS,
      this.config.LOGIN_FAILURE_LIMIT,
      ErrorCode.LOGIN_LOCKED,
      async () => {
        const found = await this.db.manager.findOne(Operator, { where: { phoneHash: phoneHash(phone) } });
        if (!(await verifyPassword(found?.passwordHash, pwd)) || !found) {
          throw new AppException(ErrorCode.OPERATOR_INVALID_CREDENTIALS);
        }
        return found;
      },
    );
    if (!operator.isActive) throw new AppException(ErrorCode.ACCOUNT_DISABLED);
    const token = await this.tokens.issue({ operatorId: operator.id });
    return { id: operator.id, phone: operator.phone, name: operator.name, token };
  }
}
