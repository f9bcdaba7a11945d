import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppConfig } from 'src/config/app-config';
import { TokenService } from 'src/common/auth/token.service';
import { hashPassword, verifyPassword } from 'src/common/crypto/hashing';
import { phoneHash } from 'src/common/crypto/personal-data';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LOGIN_FAILURE_WINDOW_MS, RateLimitService } from 'src/common/rate-limit/rate-limit.service';
import { SmsCodeService } from 'src/modules/codes/sms-code.service';
import { User, UserType, VerifyState } from 'src/modules/users/user.entity';
import { UserViewsService } from 'src/modules/users/user-views.service';
import { UserView } from 'src/modules/users/user.view';
import { LoginDto, PhoneLoginDto, RegisterDto, ResetPasswordDto } from './dto/auth.dto';

const initialState = (type: UserType) =>
  type === UserType.Patient ? VerifyState.Active : VerifyState.Pending;

function isUniqueViolation(err: unknown): boolean {
  return err instanceof QueryFailedError && (err.driverError as { code?: string })?.code === '23505';
}

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly codes: SmsCodeService,
    private readonly tokens: TokenService,
    private readonly limits: RateLimitService,
    private readonly config: AppConfig,
    private readonly views: UserViewsService,
  ) {}

  private async signIn(user: User, manager?: EntityManager): Promise<UserView> {
    if (user.isVerify === VerifyState.Disabled) throw new AppException(ErrorCode.ACCOUNT_DISABLED);
    const token = await this.tokens.issue({ userId: user.id }, manager);
    return this.views.view(user, { reveal: true, token });
  }

  private findAccount(m: EntityManager, phone: string, type: UserType): Promise<User | null> {
    return m.findOne(User, { where: { phoneHash: phoneHash(phone), type }, relations: { hospital: true } });
  }

  async register(dto: RegisterDto): Promise<UserView> {
    // The code is checked first, so only the phone's owner learns that it is registered; a 409 rolls the
    // transaction back, so the code stays usable (e.g. to register another type).
    const codeId = await this.codes.check(dto.phone, dto.verify_code);
    try {
      return await this.db.transaction(async (m) => {
        await this.codes.consume(m, codeId);
        if (await this.findAccount(m, dto.phone, dto.type)) throw new AppException(ErrorCode.ACCOUNT_EXISTS);
        const user = m.create(User, {
          phone: dto.phone,
          type: dto.type,
          passwordHash: await hashPassword(dto.pwd),
          isVerify: initialState(dto.type),
        });
        await m.save(user);
        return this.signIn(user, m);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new AppException(ErrorCode.ACCOUNT_EXISTS);
      throw err;
    }
  }

  /** Password login; repeated failures for one phone and type lock password login for a while. */
  async login(dto: LoginDto): Promise<UserView> {
    const user = await this.limits.limitFailures(
      `login:fail:${dto.type}:${phoneHash(dto.phone)}`,
      LOGIN_FAILURE_WINDOW_MS,
      this.config.LOGIN_FAILURE_LIMIT,
      ErrorCode.LOGIN_LOCKED,
      async () => {
        const found = await this.findAccount(this.db.manager, dto.phone, dto.type);
        if (!(await verifyPassword(found?.passwordHash, dto.pwd)) || !found) {
          throw new AppException(ErrorCode.INVALID_CREDENTIALS);
        }
        return found;
      },
    );
    return this.signIn(user);
  }

  /** Phone + SMS code: signs in, creating the account of that type on first use (`is_new` 1). */
  async loginByPhone(dto: PhoneLoginDto): Promise<UserView & { is_new: 0 | 1 }> {
    const codeId = await this.codes.check(dto.phone, dto.verify_code);
    try {
      return await this.db.transaction(async (m) => {
        await this.codes.consume(m, codeId);
        let user = await this.findAccount(m, dto.phone, dto.type);
        const isNew = !user;
        if (!user) {
          user = m.create(User, {
            phone: dto.phone,
            type: dto.type,
            passwordHash: null,
            isVerify: initialState(dto.type),
          });
          await m.save(user);
        }
        return { ...(await this.signIn(user, m)), is_new: isNew ? 1 : 0 };
      });
    } catch (err) {
      // Two first logins at once: the loser retries and finds the account the winner created.
      if (isUniqueViolation(err)) throw new AppException(ErrorCode.SMS_CODE_INVALID);
      throw err;
    }
  }

  /** Sets a new password and signs the account out everywhere. */
  async resetPassword(dto: ResetPasswordDto): Promise<void> {
    // Code first (as in register): without it nobody learns whether the phone has an account.
    const codeId = await this.codes.check(dto.phone, dto.verify_code);
    await this.db.transaction(async (m) => {
      await this.codes.consume(m, codeId);
      const user = await this.findAccount(m, dto.phone, dto.type);
      if (!user) throw new AppException(ErrorCode.ACCOUNT_NOT_FOUND);
      await m.update(User, { id: user.id }, { passwordHash: await hashPassword(dto.pwd) });
      await this.tokens.revokeAllOfUser(user.id, m);
    });
  }

  async logout(tokenId: string): Promise<void> {
    await this.tokens.revoke(tokenId);
  }
}
