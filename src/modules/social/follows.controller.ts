import { Controller, Delete, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { FollowsService } from './follows.service';

@ApiTags('follows')
@Controller()
export class FollowsController {
  constructor(private readonly follows: FollowsService) {}

  @Get('follow/user/:id')
  @Roles('patient', 'assistant')
  @ApiOperation({ summary: '3.1.8 关注医生（已认证医生；重复关注不报错）' })
  follow(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number) {
    return this.follows.follow(me, id);
  }

  @Delete('follow/user/:id')
  @Roles('patient', 'assistant')
  @ApiOperation({ summary: '3.1.9 取消关注（未关注也不报错）' })
  unfollow(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number) {
    return this.follows.unfollow(me, id);
  }

  @Get('custom/follow')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.12 我关注的医生（最近关注的在前）' })
  patientFollows(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.follows.followed(me, q);
  }

  @Get('assistant/follow')
  @Roles('assistant')
  @ApiOperation({ summary: '3.4.2 医助关注的医生（最近关注的在前）' })
  assistantFollows(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.follows.followed(me, q);
  }
}
