import { Controller, HttpCode, Logger, Post, RawBodyRequest, Req, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from 'src/common/auth/decorators';
import { PaymentsService } from 'src/modules/payments/payments.service';
import { WechatPayClient } from './wechat-pay.client';
import { EncryptedResource, wechatpayHeaders } from './wechat-pay.crypto';

interface Notification {
  id: string;
  event_type: string;
  resource: EncryptedResource;
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;

function parseNotification(raw: Buffer): Notification | undefined {
  let body: Record<string, unknown> | undefined;
  try {
    body = asRecord(JSON.parse(raw.toString('utf8')));
  } catch {
    return undefined;
  }
  const resource = asRecord(body?.resource);
  if (
    !body ||
    typeof body.id !== 'string' ||
    body.id.length === 0 ||
    body.id.length > 64 ||
    typeof body.event_type !== 'string' ||
    !resource ||
    typeof resource.ciphertext !== 'string' ||
    typeof resource.nonce !== 'string' ||
    typeof resource.algorithm !== 'string'
  )
    return undefined;
  return { id: body.id, event_type: body.event_type, resource: resource as unknown as EncryptedResource };
}

const REFUND_EVENTS = new Set(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);

/**
 * WeChat Pay's payment and refund notifications (PARTNERS §6). Answers in WeChat's shape, not our envelope:
 * 204 with no body to acknowledge, `4xx/5xx {"code":"FAIL","message":..}` to refuse (WeChat then retries).
 * The signature is checked over the exact bytes received with WeChat Pay's public key, the timestamp must be
 * fresh, and the resource must decrypt with the APIv3 key, before anything is believed. Duplicates are the
 * payments service's business (idempotent by notification id and order) and are acknowledged.
 */
@ApiTags('payments')
@Controller('payments/wechat')
export class WechatPayNotifyController {
  private readonly logger = new Logger('WechatPayNotify');

  constructor(
    private readonly client: WechatPayClient,
    private readonly moduleRef: ModuleRef,
  ) {}

  @Public()
  @Post('notify')
  @HttpCode(204)
  @ApiOperation({ summary: '微信支付回调（支付与退款通知；以微信签名验证，不用 token；应答为微信格式）' })
  async notify(@Req() req: RawBodyRequest<Request>, @Res() res: Response): Promise<void> {
    const fail = (status: number, message: string) => {
      res.status(status).json({ code: 'FAIL', message });
    };
    if (!this.client.configured) return fail(503, '微信支付未配置');
    const raw = req.rawBody;
    if (!raw || raw.length === 0) return fail(400, '请求体为空');

    const verified = this.client.verify(wechatpayHeaders(req.headers), raw);
    if (!verified.ok) {
      this.logger.warn(`notification refused: ${verified.reason}`);
      return fail(401, '签名错误');
    }
    const note = parseNotification(raw);
    if (!note) return fail(400, '通知格式错误');

    let plain: Record<string, unknown> | undefined;
    try {
      plain = asRecord(JSON.parse(this.client.decrypt(note.resource)));
    } catch {
      this.logger.warn(`notification ${note.id}: resource does not decrypt`);
      return fail(400, '解密失败');
    }
    if (!plain) return fail(400, '通知内容格式错误');

    try {
      if (note.event_type === 'TRANSACTION.SUCCESS') {
        const problem = this.checkTransaction(plain);
        if (problem) {
          this.logger.warn(`notification ${note.id} refused: ${problem}`);
          return fail(400, problem);
        }
        await this.payments().confirmPaid({
          provider: 'wechat',
          eventId: note.id,
          sn: plain.out_trade_no as string,
          transactionId: plain.transaction_id as string,
          amountFen: (plain.amount as { total: number }).total,
        });
      } else if (REFUND_EVENTS.has(note.event_type)) {
        if (plain.mchid !== this.client.mchId) return fail(400, 'mchid 不匹配');
        if (typeof plain.out_refund_no !== 'string' || plain.out_refund_no === '')
          return fail(400, '缺少 out_refund_no');
        await this.payments().refundSettled({
          provider: 'wechat',
          eventId: note.id,
          refundSn: plain.out_refund_no,
          success: note.event_type === 'REFUND.SUCCESS' && plain.refund_status === 'SUCCESS',
        });
      } else {
        this.logger.log(`notification ${note.id}: ${note.event_type} ignored`);
      }
    } catch (err) {
      // Not acknowledged: WeChat retries later (15 s, 15 s, 30 s, … over 24 h).
      this.logger.error(`notification ${note.id} (${note.event_type}) failed: ${(err as Error).message}`);
      return fail(500, '处理失败');
    }
    res.status(204).end();
  }

  /** A paid transaction must be ours (mchid, appid) and well formed; the amount is checked against the order by the service. */
  private checkTransaction(tx: Record<string, unknown>): string | undefined {
    if (tx.mchid !== this.client.mchId) return 'mchid 不匹配';
    if (tx.appid !== this.client.appId) return 'appid 不匹配';
    if (tx.trade_state !== 'SUCCESS') return 'trade_state 不是 SUCCESS';
    if (typeof tx.out_trade_no !== 'string' || !/^[0-9A-Za-z_\-|*]{6,32}$/.test(tx.out_trade_no))
      return 'out_trade_no 格式错误';
    if (typeof tx.transaction_id !== 'string' || tx.transaction_id === '' || tx.transaction_id.length > 64)
      return 'transaction_id 格式错误';
    const total = asRecord(tx.amount)?.total;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total <= 0) return '金额格式错误';
    return undefined;
  }

  /** Resolved lazily: PaymentsModule depends on this module for its provider, so no import cycle. */
  private payments(): PaymentsService {
    return this.moduleRef.get(PaymentsService, { strict: false });
  }
}
