import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import type { User } from 'src/modules/users/user.entity';
import { MediaQuery } from './dto/media-query.dto';
import { OauthQuery } from './dto/oauth-query.dto';
import { WechatMediaService } from './wechat-media.service';
import { WechatOauthService } from './wechat-oauth.service';

@ApiTags('wechat')
@Controller('weixin')
export class WechatController {
  constructor(
    private readonly media: WechatMediaService,
    private readonly oauth: WechatOauthService,
  ) {}

  @Get('media')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary: '3.1.14 微信素材下载：图片（jpg/png/gif/webp）存入本站并返回地址；视频返回微信的下载地址',
  })
  download(@Query() q: MediaQuery) {
    return this.media.download(q.media_id);
  }

  @Get('oauth')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary:
      '微信网页授权：用授权回调的 code（一次性）换取 openid 并记在当前账号上，微信 JSAPI 支付前调用一次',
  })
  bindOpenid(@CurrentUser() user: User, @Query() q: OauthQuery) {
    return this.oauth.bind(user.id, q.code);
  }
}
