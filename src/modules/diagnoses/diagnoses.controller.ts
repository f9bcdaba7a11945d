import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, CurrentUser, Roles } from 'src/common/auth/decorators';
import type { Principal } from 'src/common/auth/principal';
import { APP_ROLES } from 'src/common/auth/roles';
import { PageQuery } from 'src/common/http/pagination';
import { ParseIdPipe } from 'src/common/http/parse-id.pipe';
import { AuditReads } from 'src/modules/audit/read-audit.interceptor';
import type { User } from 'src/modules/users/user.entity';
import { DiagnosesService } from './diagnoses.service';
import { diagnosisReads, patientRecordReads } from './diagnosis.view';
import { PatientDiagnosesQuery, VisitStatusQuery } from './dto/diagnosis-list.dto';

/** Reading bookings (诊断); their changes are in the projects module's BookingsController. */
@ApiTags('diagnoses')
@Controller()
export class DiagnosesController {
  constructor(private readonly diagnoses: DiagnosesService) {}

  @Get('diagnoses/:id')
  @Roles(...APP_ROLES, 'admin')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.2.9 诊断信息：仅其患者、义诊医生、代为预约的医助和运营可见' })
  one(@CurrentPrincipal() viewer: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.diagnoses.one(viewer, id);
  }

  @Get('project/:id/patient')
  @Roles('doctor')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.2.7 义诊病人列表：本人义诊的全部预约（各状态），按时间段排序，分页' })
  ofProject(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.diagnoses.ofProject(doctor, id, q);
  }

  @Get('doctor/project/patient')
  @Roles('doctor')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.2.8 我的义诊病人：预约成功的，status 1 待诊 2 未诊 3 已诊，新的在前' })
  doctorPatients(@CurrentUser() doctor: User, @Query() q: VisitStatusQuery) {
    return this.diagnoses.doctorPatients(doctor, q);
  }

  @Get('doctor/comment')
  @Roles('doctor')
  @AuditReads(diagnosisReads)
  @ApiOperation({ summary: '3.2.18 我的评论：患者已评价的诊断，新的在前' })
  myRatings(@CurrentUser() doctor: User, @Query() q: PageQuery) {
    return this.diagnoses.ratingsOfMe(doctor, q);
  }

  @Get('doctor/:id/comment')
  @Roles(...APP_ROLES)
  @ApiOperation({ summary: '3.3.6 医生的评论列表（公开：患者信息打码，不含病例）' })
  ratingsOf(@Param('id', ParseIdPipe) id: number, @Query() q: PageQuery) {
    return this.diagnoses.ratingsOf(id, q);
  }

  @Get('custom/diagnoses')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.13 我的挂号：type 1 已挂号 2 挂号失败 3 未到诊 4 诊疗完成，不传为全部' })
  mine(@CurrentUser() patient: User, @Query() q: PatientDiagnosesQuery) {
    return this.diagnoses.patientBookings(patient, q);
  }

  @Get('custom/need/comment')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.14 待评论：已就诊、尚未评价医生的诊断' })
  toRate(@CurrentUser() patient: User, @Query() q: PageQuery) {
    return this.diagnoses.toRate(patient, q);
  }

  @Get('project/:id/casebook')
  @Roles('patient')
  @ApiOperation({ summary: '3.3.8 我在该义诊的病例' })
  casebook(@CurrentUser() patient: User, @Param('id', ParseIdPipe) id: number) {
    return this.diagnoses.casebook(patient, id);
  }

  @Get('all_diagnoses/:id')
  @Roles('doctor')
  @AuditReads(patientRecordReads)
  @ApiOperation({ summary: '3.2.22 病人的全部病例（仅限与该病人有过预约的医生），data 为数组' })
  patientRecords(@CurrentUser() doctor: User, @Param('id', ParseIdPipe) id: number) {
    return this.diagnoses.patientRecords(doctor, id);
  }
}
