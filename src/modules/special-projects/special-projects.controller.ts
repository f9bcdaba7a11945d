import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { SpecialProjectsService } from './special-projects.service';

@ApiTags('special-projects')
@Roles(...APP_ROLES)
@Controller('sp_project')
export class SpecialProjectsController {
  constructor(private readonly specialProjects: SpecialProjectsService) {}

  @Get()
  @ApiOperation({ summary: '3.5.1 专题活动列表（已发布，日期新的在前，分页）' })
  list(@Query() q: PageQuery) {
    return this.specialProjects.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: '3.5.2 专题活动的义诊列表（分页）' })
  clinics(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: number,
    @Query() q: PageQuery,
  ) {
    return this.specialProjects.clinics(id, q, principal);
  }
}
