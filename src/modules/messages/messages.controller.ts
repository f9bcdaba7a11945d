import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentUser, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import type { User } from 'src/modules/users/user.entity';
import { MessagesService } from './messages.service';

@ApiTags('messages')
@Controller()
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('message')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary: '3.1.13 我的消息：个人消息 + 本端广播，新的在前；返回的这一页标为已读（is_read 为之前的状态）',
  })
  inbox(@CurrentUser() user: User, @Query() q: PageQuery) {
    return this.messages.inbox(user, q);
  }

  @Get('custom/center')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.18 患者个人中心：user_info + msg_count（未读消息数）' })
  patientCenter(@CurrentPrincipal() principal: Principal & { user: User }) {
    return this.messages.center(principal);
  }

  @Get('assistant/center')
  @Roles('assistant')
  @ApiOperation({ summary: '3.4.11 医助个人中心：user_info + msg_count（未读消息数）' })
  assistantCenter(@CurrentPrincipal() principal: Principal & { user: User }) {
    return this.messages.center(principal);
  }
}
