import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UploadsModule } from 'src/modules/uploads/uploads.module';
import { WechatToken } from './wechat-token.entity';

/** The WeChat official-account API: a shared access token and media download (`GET /weixin/media`). */
@Module({
  imports: [TypeOrmModule.forFeature([WechatToken]), UploadsModule],
})
export class WechatModule {}
