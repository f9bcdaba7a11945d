import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { WechatPayModule } from 'src/integrations/wechat-pay/wechat-pay.module';
import { WechatPayProvider } from 'src/integrations/wechat-pay/wechat-pay.provider';
import { DiagnosesModule } from 'src/modules/diagnoses/diagnoses.module';
import { Diagnosis } from 'src/modules/diagnoses/diagnosis.entity';
import { MessagesModule } from 'src/modules/messages/messages.module';
import { UsersModule } from 'src/modules/users/users.module';
import { AdminPaymentsController } from './admin-payments.controller';
import { PaymentEvent } from './payment-event.entity';
import { PaymentProvider } from './payment-provider';
import { PaymentViewsService } from './payment-views.service';
import { PaymentsController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { SandboxPaymentProvider } from './sandbox-payment.provider';

/** The provider `PAYMENT_PROVIDER` names: WeChat Pay v3, or the development sandbox. */
export function choosePaymentProvider(
  config: AppConfig,
  sandbox: SandboxPaymentProvider,
  wechat: WechatPayProvider,
): PaymentProvider {
  return config.PAYMENT_PROVIDER === 'wechat' ? wechat : sandbox;
}

/**
 * Deposits: orders for priced clinics, provider confirmations, refunds through the job queue. Depends on
 * neither projects nor assistants (the projects module imports this one), so there is no cycle.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PaymentEvent, Diagnosis]),
    UsersModule,
    MessagesModule,
    DiagnosesModule,
    WechatPayModule,
  ],
  controllers: [PaymentsController, AdminPaymentsController],
  providers: [
    SandboxPaymentProvider,
    {
      provide: PaymentProvider,
      inject: [AppConfig, SandboxPaymentProvider, WechatPayProvider],
      useFactory: choosePaymentProvider,
    },
    PaymentsService,
    PaymentViewsService,
  ],
  exports: [PaymentsService],
})
export class PaymentsModule {}
