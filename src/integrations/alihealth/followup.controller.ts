import { Body, Controller, Delete, Get, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { DeliveriesQuery, LinkFollowupDto } from './dto/followup.dto';
import { FollowupService } from './followup.service';

/** Operators (DESIGN §8–§10): linking chat dialogs to Alibaba Health follow-up sessions, and their deliveries. */
@ApiTags('admin')
@Roles('admin')
@Controller('admin')
export class FollowupController {
  constructor(private readonly followups: FollowupService) {}

  @Post('chat/dialogs/:id/followup')
  @ApiOperation({
    summary:
      '关联阿里健康随访会话：之后该对话的每条新留言都会投递到 session_id（bterm_user_id、cterm_user_id、user_id 可选）',
  })
  link(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: LinkFollowupDto,
    @Ip() ip: string,
  ) {
    return this.followups.link(id, dto, { operatorId: operator.id, ip });
  }

  @Delete('chat/dialogs/:id/followup')
  @ApiOperation({ summary: '解除关联：之后的新留言不再投递（已记录的投递照常完成）' })
  unlink(@CurrentOperator() operator: Operator, @Param('id', ParseIdPipe) id: number, @Ip() ip: string) {
    return this.followups.unlink(id, { operatorId: operator.id, ip });
  }

  @Get('followup/deliveries')
  @ApiOperation({
    summary:
      '随访消息投递记录（新→旧）：status 为 pending/sending/delivered/uncertain/failed，可按 dialog_id 筛选',
  })
  deliveries(@Query() q: DeliveriesQuery) {
    return this.followups.list(q);
  }

  @Post('followup/deliveries/:id/resend')
  @ApiOperation({
    summary: '重发：仅限 uncertain（先确认对方未收到）或 failed（已排除原因）的投递，重新排队发送一次',
  })
  resend(@CurrentOperator() operator: Operator, @Param('id', ParseIdPipe) id: number, @Ip() ip: string) {
    return this.followups.resend(id, { operatorId: operator.id, ip });
  }
}
