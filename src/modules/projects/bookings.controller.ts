import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from 'src/common/auth/decorators';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import type { User } from 'src/modules/users/user.entity';
import { BookingService } from './booking.service';
import { DiagnosisResultDto, DoctorCommentDto, PatientCommentDto, RejectDto } from './dto/booking.dto';

/** Changes to one booking (诊断) by its doctor or its patient. */
@ApiTags('diagnoses')
@Controller()
export class BookingsController {
  constructor(private readonly bookings: BookingService) {}

  @Post('diagnoses/:id/reject')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.10 拒绝预约（须填 reject_msg），座位释放' })
  async reject(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number, @Body() dto: RejectDto) {
    await this.bookings.reject(doctor.id, id, dto.reject_msg);
    return {};
  }

  @Get('diagnoses/:id/done')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.11 确认就诊（义诊当天起）' })
  async done(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number) {
    await this.bookings.markSeen(doctor.id, id);
    return {};
  }

  @Put('diagnoses/:id')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.13 填写诊断结果（已就诊或就诊中）' })
  async result(
    @CurrentUser() doctor: User,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: DiagnosisResultDto,
  ) {
    await this.bookings.setResult(doctor.id, id, dto);
    return {};
  }

  @Post('doctor/diagnoses/:id/comment')
  @Roles('doctor')
  @ApiOperation({ summary: '3.2.12 医生评价患者（诚信分、守时分 1–5，就诊后一次）' })
  async doctorComment(
    @CurrentUser() doctor: User,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: DoctorCommentDto,
  ) {
    await this.bookings.doctorComment(doctor.id, id, dto);
    return {};
  }

  @Post('custom/diagnoses/:id/comment')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.17 患者评价医生（评分 1–5、评论 ≤200 字，就诊后一次）' })
  async patientComment(
    @CurrentUser() patient: User,
    @Param('id', ParseIdPipe) id: number,
    @Body() dto: PatientCommentDto,
  ) {
    await this.bookings.patientComment(patient.id, id, dto);
    return {};
  }
}
