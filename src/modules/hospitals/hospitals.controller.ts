import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { KeywordPageQuery } from './dto/directory.fields';
import { HospitalsService } from './hospitals.service';

@ApiTags('hospitals')
@Controller()
export class HospitalsController {
  constructor(private readonly hospitals: HospitalsService) {}

  // Operators read the same list (there is no separate /admin/hospitals listing).
  @Get('hospital')
  @Roles(...APP_ROLES, 'admin')
  @ApiOperation({ summary: '3.3.1 / 3.2.17 医院列表（keyword 按名称搜索，分页；page_size 最大 100）' })
  list(@Query() q: KeywordPageQuery) {
    return this.hospitals.list(q);
  }
}
