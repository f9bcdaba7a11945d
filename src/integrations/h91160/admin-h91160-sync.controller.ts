import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import type { Operator } from 'src/modules/admin/operator.entity';
import { AuditService } from 'src/modules/audit/audit.service';
import { H91160SyncService } from './h91160-sync.service';

/** Operators watch and start the 91160 hospital sync. */
@ApiTags('admin')
@Controller('admin/partners/91160/sync')
@Roles('admin')
export class AdminH91160SyncController {
  constructor(
    private readonly sync: H91160SyncService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({ summary: '91160 医院同步的进度：状态、当前页、计数、开始/结束时间、最近的错误' })
  state() {
    return this.sync.state();
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      '立即同步 91160 医院和科室（排队执行；上次中断的从中断的页继续；正在同步时不会重复执行），返回同步状态',
  })
  async trigger(@CurrentOperator() operator: Operator, @Req() req: Request) {
    const state = await this.sync.trigger();
    await this.audit.record({
      operatorId: operator.id,
      action: 'h91160.sync',
      targetType: 'partner',
      targetId: '91160',
      ip: req.ip ?? '',
    });
    return state;
  }
}
