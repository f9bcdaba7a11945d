import { Controller, Get, Headers, Param, Query } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { ProjectListQuery } from './dto/project-query.dto';
import { ProjectListsService } from './project-lists.service';

/** The lists of free clinics (3.3.2 `/project`, 3.2.4 `/doctor/project`, 3.3.11 `/custom/doctor/{id}/project`). */
@ApiTags('projects')
@Controller()
export class ProjectListsController {
  constructor(private readonly lists: ProjectListsService) {}

  @Get('project')
  @Roles(...APP_ROLES)
  @ApiHeader({
    name: 'X-location',
    required: false,
    description: '经度-纬度，如 116.397-39.909（离我最近排序用）',
  })
  @ApiOperation({
    summary:
      '3.3.2 义诊列表：已发布且未结束；关键词/服务对象/科室/医院/组织筛选；1 离我最近 2 最新 3 热门；带定位时附 distance（米）',
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() q: ProjectListQuery,
    @Headers('x-location') location?: string,
  ) {
    return this.lists.list(q, location, principal);
  }

  @Get('doctor/project')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.4 我发布的义诊（全部状态，含已取消），日期新的在前' })
  mine(@CurrentPrincipal() principal: Principal & { user: User }, @Query() q: PageQuery) {
    return this.lists.mine(principal.user.id, q, principal);
  }

  @Get('custom/doctor/:id/project')
  @Roles(...APP_ROLES)
  @ApiOperation({ summary: '3.3.11 医生的义诊（已发布，含已结束），日期新的在前' })
  ofDoctor(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: PageQuery,
  ) {
    return this.lists.ofDoctor(id, q, principal);
  }
}
