import { Body, Controller, Get, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentOperator, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { Operator } from 'src/modules/admin/operator.entity';
import { CreateOrgDto, OrgMembersQuery, UpdateOrgDto, VerifyMemberDto } from './dto/org.dto';
import { OrgMembersService } from './org-members.service';
import { OrgsService } from './orgs.service';

/** Operator routes (DESIGN §9); each write is audited by the service. */
@ApiTags('admin')
@Controller('admin')
@Roles('admin')
export class AdminOrgsController {
  constructor(
    private readonly orgs: OrgsService,
    private readonly members: OrgMembersService,
  ) {}

  @Post('orgs')
  @ApiOperation({ summary: '新建组织（name、logo、abstract）' })
  create(@CurrentOperator() operator: Operator, @Body() dto: CreateOrgDto, @Req() req: Request) {
    return this.orgs.create(operator.id, dto, req.ip ?? '');
  }

  @Put('orgs/:id')
  @ApiOperation({ summary: '修改组织（只改传入的字段）' })
  update(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: UpdateOrgDto,
    @Req() req: Request,
  ) {
    return this.orgs.update(operator.id, id, dto, req.ip ?? '');
  }

  @Get('org_members')
  @ApiOperation({ summary: '组织加入申请（verify_status、org_id 筛选，分页，新的在前）' })
  listMembers(@Query() q: OrgMembersQuery) {
    return this.members.list(q);
  }

  @Post('org_members/:id/verify')
  @ApiOperation({ summary: '审核组织申请：verify_status 1 通过 2 拒绝' })
  verify(
    @CurrentOperator() operator: Operator,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: VerifyMemberDto,
    @Req() req: Request,
  ) {
    return this.members.decide(operator.id, id, dto.verify_status, req.ip ?? '');
  }
}
