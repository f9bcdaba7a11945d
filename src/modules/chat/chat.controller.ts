import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { ChatService } from './chat.service';
import { SendChatDto } from './dto/send-chat.dto';

@ApiTags('chat')
@Controller('chat')
@Roles('patient', 'doctor')
export class ChatController {
  constructor(private readonly chat: ChatService) {}

  @Get()
  @ApiOperation({ summary: '3.6.1 留言对话列表：最近有消息的在前；unread 为发给我的未读数' })
  dialogs(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.chat.dialogs(me, q);
  }

  @Post()
  @ApiOperation({
    summary:
      '3.6.2 发送留言：首条消息时创建对话；返回该对话最近 20 条（旧→新），并实时推送 chat:message 给对方',
  })
  send(@CurrentUser() me: User, @Body() dto: SendChatDto) {
    return this.chat.send(me, dto);
  }

  @Get(':id')
  @ApiOperation({
    summary: '3.6.3 留言对话记录：按发送顺序分页（第 1 页为最早的）；打开即把发给我的消息标为已读',
  })
  messages(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.chat.messages(me, id, q);
  }
}
