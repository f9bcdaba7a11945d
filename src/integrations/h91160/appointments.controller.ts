import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { KeywordPageQuery } from 'src/modules/hospitals/dto/directory.fields';
import type { User } from 'src/modules/users/user.entity';
import { AppointmentsService } from './appointments.service';
import {
  BookAppointmentDto,
  CancelAppointmentDto,
  DoctorParams,
  MAX_SCHEDULE_DAYS,
  ScheduleParams,
  ScheduleQuery,
} from './dto/appointment.dto';

/** Hospital appointments through 91160, for patients. */
@ApiTags('appointment')
@Controller('appointment')
@Roles('patient')
export class AppointmentsController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('hospitals')
  @ApiOperation({ summary: '可预约挂号的医院（从 91160 同步的医院）' })
  hospitals(@Query() q: KeywordPageQuery) {
    return this.appointments.hospitals(q);
  }

  @Get('hospitals/:id/departments')
  @ApiOperation({ summary: '医院的挂号科室（未从 91160 同步的医院答 51300）' })
  departments(@Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.appointments.departments(id, q);
  }

  @Get('departments/:id/doctors')
  @ApiOperation({ summary: '科室的医生（实时查询 91160）' })
  doctors(@Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.appointments.doctors(id, q);
  }

  @Get('departments/:id/doctors/:doctor_id/schedules')
  @ApiOperation({
    summary: `医生的排班（实时查询 91160）：begin_date 起（不早于今天）至 end_date，最多 ${MAX_SCHEDULE_DAYS} 天`,
  })
  schedules(@Param() p: DoctorParams, @Query() q: ScheduleQuery) {
    return this.appointments.schedules(p.id, p.doctor_id, q);
  }

  @Get('departments/:id/schedules/:schedule_id/resources')
  @ApiOperation({ summary: '排班中还可预约的号源（实时查询 91160），预约时传其 detl_id' })
  resources(@Param() p: ScheduleParams) {
    return this.appointments.resources(p.id, p.schedule_id);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      '预约挂号：患者信息取自本人资料（姓名、身份证号、手机号；性别、生日由身份证号得出），资料不全答 51302；' +
      '号源已无答 51303；91160 未答复时答 51305（结果未知，预约记为 unknown，勿重复预约）',
  })
  book(@CurrentUser() me: User, @Body() dto: BookAppointmentDto) {
    return this.appointments.book(me, dto);
  }

  @Get()
  @ApiOperation({
    summary:
      '我的挂号（新的在前）；state：booked 已预约、cancelled 已取消、unknown 结果待核实、failed 未成功',
  })
  mine(@CurrentUser() me: User, @Query() q: PageQuery) {
    return this.appointments.mine(me, q);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: '取消我的挂号（仅 booked 且未到就诊时间）：先在 91160 取消，再改本地状态' })
  cancel(@CurrentUser() me: User, @Param('id', ParseIdPipe) id: number, @Body() dto: CancelAppointmentDto) {
    return this.appointments.cancel(me, id, dto);
  }
}
