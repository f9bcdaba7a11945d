import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentUser, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { AuditReads } from 'src/modules/audit/read-audit.interceptor';
import { diagnosisReads } from 'src/modules/diagnoses/diagnosis.view';
import { joinResponse } from 'src/modules/projects/booking.service';
import type { User } from 'src/modules/users/user.entity';
import { idnoReads } from 'src/modules/users/user.view';
import { AssistantBookingsService } from './assistant-bookings.service';
import { AssistantPatientsService } from './assistant-patients.service';
import { AssistantsService } from './assistants.service';
import { AssistantJoinDto, BindPatientDto, CreatePatientDto, PatientSearchQuery } from './dto/assistant.dto';

/** The assistant app (3.4): their patients, bookings on the patients' behalf, their lists and homepage. */
@ApiTags('assistants')
@Roles('assistant')
@Controller('assistant')
export class AssistantsController {
  constructor(
    private readonly patients: AssistantPatientsService,
    private readonly bookings: AssistantBookingsService,
    private readonly assistants: AssistantsService,
  ) {}

  @Post('bind/patient')
  @ApiOperation({
    summary: '3.4.3 添加病人（已有账号）：验证码经 /phone/verifycode 发到病人手机；重复添加不报错',
  })
  async bind(@CurrentUser() assistant: User, @Body() dto: BindPatientDto) {
    await this.patients.bind(assistant, dto);
    return {};
  }

  @Post('create/patient')
  @ApiOperation({ summary: '3.4.4 新建病人：完整的患者资料（同 3.1.3）加 phone、pwd，建好即绑定' })
  async create(@CurrentUser() assistant: User, @Body() dto: CreatePatientDto) {
    await this.patients.create(assistant, dto);
    return {};
  }

  @Get('patient')
  @AuditReads(idnoReads)
  @ApiOperation({ summary: '3.4.5 我的病人（姓名或手机号搜索），手机号和身份证号完整显示' })
  myPatients(@CurrentUser() assistant: User, @Query() q: PatientSearchQuery) {
    return this.patients.list(assistant, q);
  }

  @Post('join/project/:id')
  @ApiOperation({
    summary:
      '3.4.7 为已绑定的病人预约义诊（规则同 3.3.4；content 不填为“医助代为预约”）；收费义诊返回 {sn, amount, pay}，由医助支付',
  })
  async join(
    @CurrentUser() assistant: User,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: AssistantJoinDto,
  ) {
    // A priced clinic's order goes back to the assistant, who pays on the patient's behalf.
    return joinResponse(await this.bookings.join(assistant, id, dto));
  }

  @Get('project')
  @ApiOperation({ summary: '3.4.8 我的挂号：我为病人预约过的义诊（各状态），最近预约的在前' })
  clinics(@CurrentPrincipal() caller: Principal & { user: User }, @Query() q: PageQuery) {
    return this.bookings.clinics(caller, q);
  }

  // The seed spells it `paitient`; the corrected `patient` answers too (DESIGN §1).
  @Get(['project/:id/paitient', 'project/:id/patient'])
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.4.9 义诊挂号病人：我在该义诊为病人做的预约，按时间段排序' })
  bookingsIn(@CurrentUser() assistant: User, @Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.bookings.bookingsIn(assistant, id, q);
  }

  @Get('diagnoses/:id/cancel')
  @ApiOperation({ summary: '3.4.10 取消挂号：我做的或我的病人的预约，截止时间前' })
  async cancel(@CurrentUser() assistant: User, @Param('id', ParseIdPipe) id: number) {
    await this.bookings.cancel(assistant, id);
    return {};
  }

  @Get('homepage')
  @ApiOperation({ summary: '3.4.12 医助端首页：banner、news、可预约的义诊 project_list' })
  homepage(@CurrentPrincipal() caller: Principal) {
    return this.assistants.homepage(caller);
  }
}
