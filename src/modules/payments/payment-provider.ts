/** What a provider needs to start collecting a deposit. */
export interface PrepayRequest {
  sn: string;
  amountFen: number;
  description: string;
  /** The payer's WeChat openid (JSAPI needs it). */
  openid?: string | null;
  expiresAt: Date;
}

/** What the app needs to pay: for WeChat JSAPI the signed `wx.requestPayment` parameters; for the sandbox a confirm URL. */
export interface PrepayResult {
  provider: string;
  params: Record<string, string | number>;
}

export interface RefundRequest {
  sn: string;
  refundSn: string;
  amountFen: number;
  totalFen: number;
  reason: string;
}

/** `processing`: the provider will confirm later (a refund notification); `success`: done now. */
export interface RefundResult {
  state: 'processing' | 'success';
}

/** One payment provider (WeChat Pay v3, or the development sandbox), chosen by `PAYMENT_PROVIDER`. */
export abstract class PaymentProvider {
  abstract readonly name: string;
  abstract prepay(req: PrepayRequest): Promise<PrepayResult>;
  /** Idempotent by `refundSn`: asking again for the same refund never refunds twice. */
  abstract refund(req: RefundRequest): Promise<RefundResult>;
  /** Closes an unpaid order whose hold was released, so it can no longer be paid. Idempotent. */
  abstract close(sn: string): Promise<void>;
}
