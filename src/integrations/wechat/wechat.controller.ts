import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { MediaQuery } from './dto/media-query.dto';
import { WechatMediaService } from './wechat-media.service';

@ApiTags('wechat')
@Controller('weixin')
export class WechatController {
  constructor(private readonly media: WechatMediaService) {}

  @Get('media')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary: '3.1.14 微信素材下载：图片（jpg/png/gif/webp）存入本站并返回地址；视频返回微信的下载地址',
  })
  download(@Query() q: MediaQuery) {
    return this.media.download(q.media_id);
  }
}
