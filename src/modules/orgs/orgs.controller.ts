import { Controller, Delete, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { KeywordPageQuery } from 'src/modules/hospitals/dto/directory.fields';
import type { User } from 'src/modules/users/user.entity';
import { OrgMembersService } from './org-members.service';
import { OrgsService } from './orgs.service';

@ApiTags('orgs')
@Controller()
export class OrgsController {
  constructor(
    private readonly orgs: OrgsService,
    private readonly members: OrgMembersService,
  ) {}

  // Operators read the same list (there is no separate /admin/orgs listing).
  @Get('org')
  @Roles(...APP_ROLES, 'admin')
  @ApiOperation({ summary: '3.2.18 / 3.3.21 组织列表（keyword 按名称搜索，分页）' })
  list(@Query() q: KeywordPageQuery) {
    return this.orgs.list(q);
  }

  @Get('org/my')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.21 我已申请加入的组织（verify_status 0 待审核 1 已通过 2 已拒绝）' })
  mine(@CurrentUser() doctor: User, @Query() q: PageQuery) {
    return this.members.mine(doctor.id, q);
  }

  @Post('org_add/:org_id')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.19 申请加入组织；被拒绝后可再次申请' })
  apply(@CurrentUser() doctor: User, @Param('org_id', ParseIdPipe) orgId: number) {
    return this.members.apply(doctor.id, orgId);
  }

  @Delete('org_remove/:id')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.20 撤回申请或退出组织（id 为 /org/my 返回的 id）' })
  withdraw(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number) {
    return this.members.withdraw(doctor.id, id);
  }
}
