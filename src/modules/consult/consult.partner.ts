import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import { LINKINGCLOUD_LABEL, LinkingcloudClient } from 'src/integrations/linkingcloud/linkingcloud.client';
import { toPartnerException } from 'src/integrations/partner-http/partner-errors';

/**
 * The `openid` 联空医问 knows a patient by: our account id, stable and free of personal data (the WeChat
 * openid is another app's identifier and may be missing).
 */
export const lcOpenid = (userId: number): string => `u${userId}`;

/** What the app answers for a failed partner call (the partner's own text stays in the log). */
export const consultPartnerError = (err: unknown): unknown => toPartnerException(err, LINKINGCLOUD_LABEL);

/** 503 before anything is stored or sent when LINKINGCLOUD_BASE_URL is unset. */
export function requireConfigured(client: LinkingcloudClient): void {
  if (!client.configured) {
    throw new AppException(ErrorCode.PARTNER_NOT_CONFIGURED, `${LINKINGCLOUD_LABEL}：合作方服务未配置`);
  }
}

/** Yuan text ("9.9") to fen, without floating point. */
export function yuanToFen(yuan: string): number {
  const [whole, fraction = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export const fenToYuan = (fen: number): string => (fen / 100).toFixed(2);
