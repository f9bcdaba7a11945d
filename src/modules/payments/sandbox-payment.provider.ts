import { Injectable } from '@nestjs/common';
import { AppConfig, publicBaseUrl } from 'src/config/app-config';
import {
  PaymentProvider,
  PrepayRequest,
  PrepayResult,
  RefundRequest,
  RefundResult,
} from './payment-provider';

/**
 * The development provider: nothing is charged. The app pays by calling `confirm_url`
 * (`POST /payments/sandbox/{sn}/confirm`), which confirms the order like a provider's notification would;
 * refunds succeed at once (or fail while `SANDBOX_REFUND_FAILS` is on, for exercising retries).
 */
@Injectable()
export class SandboxPaymentProvider extends PaymentProvider {
  readonly name = 'sandbox';

  constructor(private readonly config: AppConfig) {
    super();
  }

  prepay(req: PrepayRequest): Promise<PrepayResult> {
    const confirmUrl = `${publicBaseUrl(this.config)}/payments/sandbox/${encodeURIComponent(req.sn)}/confirm`;
    return Promise.resolve({ provider: this.name, params: { provider: this.name, confirm_url: confirmUrl } });
  }

  refund(req: RefundRequest): Promise<RefundResult> {
    // Read at call time, so a test can turn failures off again on a running application.
    if (this.config.SANDBOX_REFUND_FAILS)
      return Promise.reject(new Error(`sandbox refund ${req.refundSn} failed (SANDBOX_REFUND_FAILS)`));
    return Promise.resolve({ state: 'success' });
  }

  /** The sandbox keeps no orders of its own: a released hold's confirmation is refused by the booking state. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
