import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from 'src/common/auth/decorators';
import { APP_ROLES } from 'src/common/auth/roles';
import { DoctorsService } from './doctors.service';
import { DoctorListQuery } from './dto/doctor-list.dto';

@ApiTags('doctors')
@Controller()
export class DoctorsController {
  constructor(private readonly doctors: DoctorsService) {}

  @Get('doctor/list')
  @Roles(...APP_ROLES)
  @ApiOperation({
    summary: '3.3.9 医生列表：已认证医生，关键词/科室/职称/医院/组织筛选，按评分或服务人数排序',
  })
  list(@Query() q: DoctorListQuery) {
    return this.doctors.list(q);
  }
}
