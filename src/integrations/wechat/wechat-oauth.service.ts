import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { User } from 'src/modules/users/user.entity';
import { OAUTH_CODE_ERRCODES, WechatCallError, WechatClient } from './wechat.client';

/**
 * `sns/oauth2/access_token` errcodes that mean our credentials or our address are refused: invalid secret
 * (40001/40125), appid (40013), grant_type (40002), missing appid/secret, IP not whitelisted, risky IP.
 */
const CREDENTIAL_ERRCODES: ReadonlySet<number> = new Set([
  40001, 40002, 40013, 40125, 40164, 41002, 41004, 89503,
]);

/** `GET /weixin/oauth`: records the caller's WeChat openid, which WeChat Pay JSAPI needs. */
@Injectable()
export class WechatOauthService {
  private readonly logger = new Logger('WeChat');

  constructor(
    private readonly client: WechatClient,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  /** Exchanges the single-use `code` and stores the openid on the caller's own account only. */
  async bind(userId: number, code: string): Promise<{ openid: string }> {
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_NOT_CONFIGURED);
    let openid: string;
    try {
      ({ openid } = await this.client.exchangeOauthCode(code));
    } catch (err) {
      throw this.oauthError(err);
    }
    await this.users.update({ id: userId }, { openid });
    return { openid };
  }

  private oauthError(err: unknown): unknown {
    if (!(err instanceof WechatCallError)) return err;
    if (err.kind === 'api' && err.errcode !== undefined) {
      if (OAUTH_CODE_ERRCODES.has(err.errcode)) return new AppException(ErrorCode.WECHAT_OAUTH_CODE_INVALID);
      if (CREDENTIAL_ERRCODES.has(err.errcode)) {
        this.logger.error(`${err.message}: check WECHAT_APP_ID, WECHAT_APP_SECRET and the IP whitelist`);
        return new AppException(ErrorCode.WECHAT_AUTH_FAILED);
      }
    }
    this.logger.error(`sns/oauth2/access_token: ${err.kind}: ${err.message}`);
    return new AppException(ErrorCode.WECHAT_UNAVAILABLE);
  }
}
