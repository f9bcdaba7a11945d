import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import type { User } from 'src/modules/users/user.entity';
import { HomepageQuery } from './dto/homepage.dto';
import { HomepagesService } from './homepages.service';

@ApiTags('homepages')
@Controller()
export class HomepagesController {
  constructor(private readonly homepages: HomepagesService) {}

  @Get('custom/homepage')
  @Roles('patient', 'assistant')
  @ApiOperation({
    summary: '3.3.19 患者端首页：banner、news、即将开始的义诊 project_list、专题活动 special_pro_list',
  })
  patientHome(@CurrentPrincipal() principal: Principal, @Query() q: HomepageQuery) {
    return this.homepages.patientHome(principal, { hospitalId: q.hospital_id, orgId: q.org_id });
  }

  @Get('doctor/index')
  @Roles('doctor')
  @ApiOperation({
    summary: '3.2.16 医生端首页：news、本人信息 doctor_info、本人即将开始的义诊、待诊预约 diagnoses_list',
  })
  doctorHome(@CurrentPrincipal() principal: Principal & { user: User }) {
    return this.homepages.doctorHome(principal);
  }
}
