import { Injectable, Logger } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { imageExtension } from 'src/common/storage/image-type';
import { LocalStorage } from 'src/common/storage/local-storage';
import { TOKEN_REJECTED_ERRCODES, WechatCallError, WechatClient, WechatMedia } from './wechat.client';
import { WechatTokenStore } from './wechat-token.store';

/**
 * Token-endpoint errcodes that mean our credentials or our address are refused: invalid secret, appid or
 * grant, missing appid/secret, caller IP not whitelisted, risky-IP confirmation. An operator has to act.
 */
const CREDENTIAL_ERRCODES: ReadonlySet<number> = new Set([
  40001, 40002, 40013, 40125, 40164, 41002, 41004, 89503,
]);
const INVALID_MEDIA_ERRCODE = 40007;

/** 3.1.14 `/weixin/media`: fetches a media file of the official account and keeps images in our storage. */
@Injectable()
export class WechatMediaService {
  private readonly logger = new Logger('WeChat');

  constructor(
    private readonly client: WechatClient,
    private readonly tokens: WechatTokenStore,
    private readonly storage: LocalStorage,
  ) {}

  /** An image is stored and served from here; a video answers with WeChat's own download URL. */
  async download(mediaId: string): Promise<{ url: string }> {
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_NOT_CONFIGURED);
    const media = await this.fetchMedia(mediaId);
    if (media.kind === 'video') return { url: media.url };
    const ext = await imageExtension(media.bytes);
    if (!ext) {
      this.logger.warn(
        `media/get: ${media.bytes.length} bytes of ${media.contentType || 'no type'} are no image`,
      );
      throw new AppException(ErrorCode.WECHAT_MEDIA_NOT_IMAGE);
    }
    return { url: await this.storage.save(media.bytes, ext) };
  }

  /** On a refused token: replace it once and try once more. */
  private async fetchMedia(mediaId: string): Promise<WechatMedia> {
    const token = await this.token(() => this.tokens.get());
    try {
      return await this.client.getMedia(token, mediaId);
    } catch (err) {
      if (!isTokenRejected(err)) throw this.mediaError(err);
      this.logger.warn(`${err.message}; replacing the access token and retrying once`);
    }
    const replaced = await this.token(() => this.tokens.replace(token));
    try {
      return await this.client.getMedia(replaced, mediaId);
    } catch (err) {
      throw this.mediaError(err);
    }
  }

  private async token(load: () => Promise<string>): Promise<string> {
    try {
      return await load();
    } catch (err) {
      if (!(err instanceof WechatCallError)) throw err;
      if (err.kind === 'api' && err.errcode !== undefined && CREDENTIAL_ERRCODES.has(err.errcode)) {
        this.logger.error(`${err.message}: check WECHAT_APP_ID, WECHAT_APP_SECRET and the IP whitelist`);
        throw new AppException(ErrorCode.WECHAT_AUTH_FAILED);
      }
      this.logger.error(`token: ${err.kind}: ${err.message}`);
      throw new AppException(ErrorCode.WECHAT_UNAVAILABLE);
    }
  }

  private mediaError(err: unknown): unknown {
    if (!(err instanceof WechatCallError)) return err;
    if (err.kind === 'api' && err.errcode === INVALID_MEDIA_ERRCODE)
      return new AppException(ErrorCode.WECHAT_MEDIA_INVALID);
    if (err.kind === 'too_large') return new AppException(ErrorCode.WECHAT_MEDIA_TOO_LARGE);
    this.logger.error(`media/get: ${err.kind}: ${err.message}`);
    return new AppException(ErrorCode.WECHAT_UNAVAILABLE);
  }
}

function isTokenRejected(err: unknown): err is WechatCallError {
  return (
    err instanceof WechatCallError &&
    err.kind === 'api' &&
    err.errcode !== undefined &&
    TOKEN_REJECTED_ERRCODES.has(err.errcode)
  );
}
