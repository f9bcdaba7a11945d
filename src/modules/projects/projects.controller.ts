import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentUser, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { BookingService, joinResponse } from './booking.service';
import { JoinProjectDto } from './dto/booking.dto';
import { PublishProjectDto } from './dto/publish-project.dto';
import { ProjectsService } from './projects.service';

@ApiTags('projects')
@Controller()
export class ProjectsController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly bookings: BookingService,
  ) {}

  @Post('project')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.3 发布义诊（已审核且资料完整的医生）' })
  async publish(@CurrentPrincipal() principal: Principal & { user: User }, @Body() dto: PublishProjectDto) {
    const id = await this.projects.publish(principal.user, dto);
    return this.projects.detail(id, principal);
  }

  @Get('project/:id')
  @Roles(...APP_ROLES)
  @ApiOperation({ summary: '3.2.5 / 3.3.3 义诊详情' })
  detail(@CurrentPrincipal() principal: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.projects.detail(id, principal);
  }

  @Get('project/:id/cancel')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.6 医生取消义诊（开始前）；所有有效预约随之取消并通知患者' })
  async cancel(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number) {
    await this.bookings.cancelProject(doctor.id, id);
    return {};
  }

  @Post('project/:id/join')
  @Roles('patient')
  @ApiOperation({
    summary:
      '3.3.4 加入义诊：病例 content、最多三张 photo、所选时间段 plan_time；收费义诊返回 {sn, amount, pay}（待支付），免费义诊 {}',
  })
  async join(
    @CurrentUser() patient: User,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: JoinProjectDto,
  ) {
    return joinResponse(await this.bookings.join(patient, id, dto));
  }

  @Get('custom/project/:id/cancel')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.5 患者取消预约（按义诊 id；须在截止时间前）' })
  async leave(@CurrentUser() patient: User, @Param('id', ParseIdPipe) id: number) {
    await this.bookings.cancelByPatient(patient.id, id);
    return {};
  }
}
