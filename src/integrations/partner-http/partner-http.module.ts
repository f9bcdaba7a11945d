import { Global, Module } from '@nestjs/common';
import { PartnerHttpFactory } from './partner-http.factory';
import { PartnerMetrics } from './partner-metrics';
import { PartnersController } from './partners.controller';

/** The outbound HTTP layer shared by every partner module, and its operator status route. */
@Global()
@Module({
  controllers: [PartnersController],
  providers: [PartnerMetrics, PartnerHttpFactory],
  exports: [PartnerMetrics, PartnerHttpFactory],
})
export class PartnerHttpModule {}
