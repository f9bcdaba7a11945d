import { Body, Controller, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import type { Operator } from 'src/modules/admin/operator.entity';
import { BroadcastDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

@ApiTags('admin')
@Roles('admin')
@Controller('admin/messages')
export class MessagesAdminController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @ApiOperation({ summary: '广播消息（type 0）：发给 app_type 端的所有账号' })
  broadcast(@CurrentOperator() operator: Operator, @Body() dto: BroadcastDto, @Ip() ip: string) {
    return this.messages.broadcast(operator.id, dto, ip);
  }
}
