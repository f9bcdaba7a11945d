import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from 'src/config/app-config';
import { PartnerHttpFactory } from 'src/integrations/partner-http/partner-http.factory';
import { FEIQINGSONG_PARTNER, FeiqingsongClient } from './feiqingsong.client';
import { FeiqingsongAccount } from './feiqingsong-account.entity';
import { QaController } from './qa.controller';
import { QaOrderRecord } from './qa-order.entity';
import { QaService } from './qa.service';

export function createFeiqingsongClient(config: AppConfig, http: PartnerHttpFactory): FeiqingsongClient {
  const baseUrl = config.FEIQINGSONG_BASE_URL || undefined;
  return new FeiqingsongClient(http.create(FEIQINGSONG_PARTNER, baseUrl), baseUrl);
}

/** 肺轻松 paid Q&A orders (`/qa`): patients link their own 肺轻松 account and order through it. */
@Module({
  imports: [TypeOrmModule.forFeature([FeiqingsongAccount, QaOrderRecord])],
  controllers: [QaController],
  providers: [
    {
      provide: FeiqingsongClient,
      inject: [AppConfig, PartnerHttpFactory],
      useFactory: createFeiqingsongClient,
    },
    QaService,
  ],
})
export class FeiqingsongModule {}
