import { Injectable, Logger } from '@nestjs/common';
import { AppException } from 'src/common/errors/app.exception';
import { ErrorCode } from 'src/common/errors/error-codes';
import {
  PaymentProvider,
  PrepayRequest,
  PrepayResult,
  RefundRequest,
  RefundResult,
} from 'src/modules/payments/payment-provider';
import { WechatPayCallError, WechatPayClient, WechatTransaction } from './wechat-pay.client';
import { shanghaiRfc3339 } from './wechat-pay.crypto';

/** WeChat's answer to an order query, in our terms. */
export interface WechatOrderState {
  /** `paid` (SUCCESS or already REFUND), `unpaid` (NOTPAY/USERPAYING), `closed` (CLOSED/REVOKED/PAYERROR), `unknown` (no such order). */
  state: 'paid' | 'unpaid' | 'closed' | 'unknown';
  transactionId?: string;
  amountFen?: number;
}

/** Maps a failed WeChat Pay call to the error the client sees (502 family; never WeChat's raw text). */
export function toAppException(err: unknown): unknown {
  if (!(err instanceof WechatPayCallError)) return err;
  switch (err.kind) {
    case 'not_configured':
      return new AppException(ErrorCode.WECHAT_PAY_NOT_CONFIGURED);
    case 'sign':
      return new AppException(ErrorCode.WECHAT_PAY_SIGN_REJECTED);
    case 'unverified':
      return new AppException(ErrorCode.WECHAT_PAY_RESPONSE_UNVERIFIED);
    case 'api':
      return new AppException(ErrorCode.WECHAT_PAY_REJECTED);
    case 'timeout':
    case 'network':
    case 'status':
    case 'protocol':
      return new AppException(ErrorCode.WECHAT_PAY_UNAVAILABLE);
  }
}

/** WeChat Pay API v3 (JSAPI / mini-program) as the platform's payment provider (`PAYMENT_PROVIDER=wechat`). */
@Injectable()
export class WechatPayProvider extends PaymentProvider {
  readonly name = 'wechat';
  private readonly logger = new Logger('WechatPay');

  constructor(readonly client: WechatPayClient) {
    super();
  }

  /** Asks WeChat for a prepay_id (idempotent for the same sn and parameters) and signs the wx.requestPayment params. */
  async prepay(req: PrepayRequest): Promise<PrepayResult> {
    if (!req.openid) throw new AppException(ErrorCode.WECHAT_PAY_OPENID_REQUIRED);
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_PAY_NOT_CONFIGURED);
    const prepayId = await this.guard('prepay', () =>
      this.client.prepayJsapi({
        outTradeNo: req.sn,
        description: req.description,
        amountFen: req.amountFen,
        openid: req.openid as string,
        timeExpire: shanghaiRfc3339(req.expiresAt),
      }),
    );
    const params = this.client.payParams(prepayId);
    return { provider: this.name, params: { ...params } };
  }

  /** Idempotent by refundSn (WeChat refunds one out_refund_no once). CLOSED/ABNORMAL answers are errors. */
  async refund(req: RefundRequest): Promise<RefundResult> {
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_PAY_NOT_CONFIGURED);
    const answer = await this.guard('refund', () =>
      this.client.refund({
        outTradeNo: req.sn,
        outRefundNo: req.refundSn,
        reason: req.reason,
        refundFen: req.amountFen,
        totalFen: req.totalFen,
      }),
    );
    if (answer.status === 'SUCCESS') return { state: 'success' };
    if (answer.status === 'PROCESSING') return { state: 'processing' };
    this.logger.warn(`refund ${req.refundSn}: WeChat says ${answer.status}`);
    throw new AppException(ErrorCode.WECHAT_PAY_REJECTED);
  }

  /**
   * Closes an unpaid order (its hold was released). An order WeChat does not know, or one already paid (the
   * payment notification then refunds it), needs nothing more.
   */
  async close(sn: string): Promise<void> {
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_PAY_NOT_CONFIGURED);
    await this.guard('close', async () => {
      try {
        await this.client.closeOrder(sn);
      } catch (err) {
        if (err instanceof WechatPayCallError && ['ORDER_NOT_EXIST', 'ORDERPAID'].includes(err.code ?? ''))
          return;
        throw err;
      }
    });
  }

  /** Order query, for when a notification never came (PARTNERS §6). */
  async query(sn: string): Promise<WechatOrderState> {
    if (!this.client.configured) throw new AppException(ErrorCode.WECHAT_PAY_NOT_CONFIGURED);
    const tx: WechatTransaction | undefined = await this.guard('query', () =>
      this.client.queryByOutTradeNo(sn),
    );
    if (!tx) return { state: 'unknown' };
    const state =
      tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND'
        ? 'paid'
        : ['CLOSED', 'REVOKED', 'PAYERROR'].includes(tx.trade_state)
          ? 'closed'
          : 'unpaid';
    return { state, transactionId: tx.transaction_id, amountFen: tx.amount?.total };
  }

  private async guard<T>(op: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (err instanceof WechatPayCallError) this.logger.error(`${op} failed (${err.kind}): ${err.message}`);
      throw toAppException(err);
    }
  }
}
