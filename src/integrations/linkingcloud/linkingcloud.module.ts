import { Module } from '@nestjs/common';
import { AppConfig } from 'src/config/app-config';
import { PartnerHttpFactory } from 'src/integrations/partner-http/partner-http.factory';
import { LINKINGCLOUD, LinkingcloudClient } from './linkingcloud.client';

/** The 联空医问 client, built from LINKINGCLOUD_* on the shared partner HTTP layer. */
@Module({
  providers: [
    {
      provide: LinkingcloudClient,
      inject: [AppConfig, PartnerHttpFactory],
      useFactory: (c: AppConfig, http: PartnerHttpFactory) =>
        new LinkingcloudClient(
          http.create(LINKINGCLOUD, c.LINKINGCLOUD_BASE_URL, [c.LINKINGCLOUD_APP_SECRET]),
          {
            appId: c.LINKINGCLOUD_APP_ID ?? '',
            appSecret: c.LINKINGCLOUD_APP_SECRET ?? '',
            sign: { mode: c.LINKINGCLOUD_SIGN_MODE, case: c.LINKINGCLOUD_SIGN_CASE },
            successCode: c.LINKINGCLOUD_SUCCESS_CODE,
            tokenMarginSeconds: c.LINKINGCLOUD_TOKEN_MARGIN_SECONDS,
          },
        ),
    },
  ],
  exports: [LinkingcloudClient],
})
export class LinkingcloudModule {}
