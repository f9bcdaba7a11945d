import { Body, Controller, Get, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentOperator, Public, Roles } from 'src/common/auth/decorators';
import { AuthThrottle } from 'src/common/rate-limit/auth-throttle';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { AuditService } from 'src/modules/audit/audit.service';
import { AuditQuery } from 'src/modules/audit/dto/audit-query.dto';
import { AuditReads } from 'src/modules/audit/read-audit.interceptor';
import { ReadAuditService } from 'src/modules/audit/read-audit.service';
import { idnoReads } from 'src/modules/users/user.view';
import { AdminUsersService } from './admin-users.service';
import { AdminUsersQuery, OperatorLoginDto, VerifyUserDto } from './dto/admin.dto';
import type { Operator } from './operator.entity';
import { OperatorsService } from './operators.service';

@ApiTags('admin')
@Controller('admin')
export class AdminController {
  constructor(
    private readonly operators: OperatorsService,
    private readonly users: AdminUsersService,
    private readonly audit: AuditService,
    private readonly reads: ReadAuditService,
  ) {}

  @Public()
  @AuthThrottle()
  @Post('login')
  @ApiOperation({ summary: '运营登录：data.token' })
  login(@Body() dto: OperatorLoginDto) {
    return this.operators.login(dto.phone, dto.pwd);
  }

  @Get('users')
  @Roles('admin')
  @AuditReads(idnoReads)
  @ApiOperation({ summary: '账号列表（type、is_verify、keyword 筛选，分页）' })
  listUsers(@Query() q: AdminUsersQuery) {
    return this.users.list(q);
  }

  @Post('users/:id/verify')
  @Roles('admin')
  @ApiOperation({ summary: '审核/禁用账号：is_verify 0 待核验 1 启用 2 禁用' })
  verify(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: VerifyUserDto,
    @Req() req: Request,
  ) {
    return this.users.setVerifyState(operator.id, id, dto.is_verify, req.ip ?? '');
  }

  @Get('audit')
  @Roles('admin')
  @ApiOperation({
    summary:
      '审计日志（分页，新的在前）：kind=write 运营写操作（默认）；kind=read 医生、医助、运营读取患者病历和完整身份证号的记录（可按 user_id、actor_role、actor_id 筛选）',
  })
  auditLog(@Query() q: AuditQuery) {
    return q.kind === 'read' ? this.reads.list(q) : this.audit.list(q);
  }
}
